import { Typography } from '@mui/material';
import { useFieldValue, useRecordContext, type FieldProps } from 'react-admin';
import { formatAmount, signOf, type Unit } from './amount';

export interface AmountFieldProps extends FieldProps {
  /** `COIN`, `DIAMOND`, or an ISO 4217 currency; or read it from the record with `unitSource`. */
  unit?: Unit;
  unitSource?: string;
  /** A debt: shown in red when above zero. */
  debt?: boolean;
  /** A signed movement: `+` for credits, red for debits. */
  signed?: boolean;
}

/**
 * The one money and count field of the console: minor units from the API (decimal strings) shown with
 * their currency, or as whole coins and diamonds.
 */
export const AmountField = ({ unit, unitSource, debt = false, signed = false, ...props }: AmountFieldProps) => {
  const record = useRecordContext(props);
  const value = useFieldValue(props);
  const resolvedUnit = unit ?? (unitSource ? (record?.[unitSource] as string | undefined) : undefined) ?? 'COIN';
  if (value === null || value === undefined) return <Typography component="span" variant="body2">{props.emptyText ?? ''}</Typography>;
  const sign = signOf(value);
  const red = (debt && sign > 0) || (signed && sign < 0);
  const text = formatAmount(value, resolvedUnit);
  return (
    <Typography
      component="span"
      variant="body2"
      data-amount={String(value)}
      data-debt={debt && sign > 0 ? 'true' : undefined}
      sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', color: red ? 'error.main' : undefined, fontWeight: debt && sign > 0 ? 600 : undefined }}
    >
      {signed && sign > 0 ? `+${text}` : text}
    </Typography>
  );
};
