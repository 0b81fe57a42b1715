import { Box, Typography } from '@mui/material';
import {
  ChipField,
  Datagrid,
  DateField,
  FunctionField,
  Link,
  ListBase,
  Pagination,
  TextField,
  useCanAccess,
  useCreatePath,
  type RaRecord,
} from 'react-admin';
import { AmountField } from '../fields/AmountField';
import type { Unit } from '../fields/amount';

export interface JournalProps {
  /** The API path of the journal under /api, e.g. `users/u_1/journal` (a simple-rest list). */
  path: string;
  unit: Unit;
  title?: string;
}

/** A transaction id: a link to the transaction for those who may open the ledger, plain text otherwise. */
const TransactionLink = ({ record }: { record: RaRecord }) => {
  const { canAccess } = useCanAccess({ resource: 'ledger-transactions', action: 'show' });
  const createPath = useCreatePath();
  if (!canAccess) return <span>{record.transaction_id}</span>;
  return <Link to={createPath({ resource: 'ledger-transactions', id: record.transaction_id, type: 'show' })}>{record.transaction_id}</Link>;
};

/**
 * An account's postings, newest first, each with the balance it left (`running_balance`, from the ledger
 * itself). Paginated on the server; holds show with the balance unchanged.
 */
export const Journal = ({ path, unit, title = 'Journal' }: JournalProps) => (
  <Box data-testid="journal" sx={{ mt: 2 }}>
    <Typography variant="h6" gutterBottom>
      {title}
    </Typography>
    {/* The journal is a sub-resource of a page the operator may already see: no access check of its own. */}
    <ListBase resource={path} disableSyncWithLocation disableAuthentication perPage={10} sort={{ field: 'created_at', order: 'DESC' }}>
      <Datagrid bulkActionButtons={false} rowClick={false} empty={<Typography color="text.secondary">No postings yet.</Typography>}>
        <DateField source="created_at" label="Time" showTime />
        <TextField source="type" sortable={false} />
        <ChipField source="kind" size="small" sortable={false} />
        <AmountField source="amount" unit={unit} signed sortable={false} textAlign="right" />
        <AmountField source="running_balance" label="Balance after" unit={unit} sortable={false} textAlign="right" />
        <FunctionField label="Reference" sortable={false} render={(record: RaRecord) => (record.reference_type ? `${record.reference_type} ${record.reference_id}` : record.idempotency_key)} />
        <FunctionField label="Transaction" sortable={false} render={(record: RaRecord) => <TransactionLink record={record} />} />
      </Datagrid>
      <Pagination rowsPerPageOptions={[10, 25, 50]} />
    </ListBase>
  </Box>
);
