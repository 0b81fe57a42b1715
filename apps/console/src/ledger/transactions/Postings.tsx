import { Box } from '@mui/material';
import { ArrayField, Datagrid, TextField } from 'react-admin';
import { AmountField } from '../../fields/AmountField';

/** The legs of a transaction; they sum to zero per asset. */
export const Postings = () => (
  <Box data-testid="postings">
    <ArrayField source="postings">
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="account_code" label="Account" />
        <TextField source="kind" />
        <AmountField source="amount" unitSource="asset" signed textAlign="right" />
        <AmountField source="running_balance" label="Balance after" unitSource="asset" textAlign="right" />
      </Datagrid>
    </ArrayField>
  </Box>
);
