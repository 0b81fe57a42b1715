import { Box, Card, CardContent, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useRecordContext } from 'react-admin';
import { AmountField } from './AmountField';
import type { Unit } from './amount';

const Figure = ({ label, children, testId }: { label: string; children: ReactNode; testId: string }) => (
  <Box data-testid={testId}>
    <Typography variant="caption" color="text.secondary" component="div">
      {label}
    </Typography>
    <Typography variant="h6" component="div">
      {children}
    </Typography>
  </Box>
);

/** Available, held and debt of one wallet (`<prefix>_<unit>` fields of the record), debt in red. */
export const BalanceCard = ({ unit, suffix }: { unit: Unit; suffix: 'coins' | 'diamonds' }) => {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Card variant="outlined" sx={{ mb: 2 }}>
      <CardContent sx={{ display: 'flex', gap: 6, flexWrap: 'wrap' }}>
        <Figure label="Available" testId="balance-available">
          <AmountField source={`available_${suffix}`} unit={unit} />
        </Figure>
        <Figure label="Held (pending)" testId="balance-held">
          <AmountField source={`held_${suffix}`} unit={unit} />
        </Figure>
        <Figure label="Debt" testId="balance-debt">
          <AmountField source={`debt_${suffix}`} unit={unit} debt />
        </Figure>
        <Figure label="Posted balance" testId="balance-posted">
          <AmountField source={`balance_${suffix}`} unit={unit} />
        </Figure>
      </CardContent>
    </Card>
  );
};
