import { Card, CardContent, Stack, Typography } from '@mui/material';
import { Datagrid, DateField, ListContextProvider, TextField, Title, useGetList, useList } from 'react-admin';
import { AdjustmentActions } from '../adjustments/AdjustmentActions';
import { AmountField } from '../fields/AmountField';
import { RefundActions } from '../refunds/RefundActions';

const PAGE = 50;

/** One section of the queue: the `requested` records of a resource, oldest first, with their buttons. */
function usePending(resource: 'refunds' | 'adjustments') {
  const { data = [], total = 0, isPending } = useGetList(resource, { filter: { state: 'requested' }, sort: { field: 'created_at', order: 'ASC' }, pagination: { page: 1, perPage: PAGE } });
  return { list: useList({ data, isPending, perPage: PAGE }), total };
}

/**
 * What waits for a second operator: refunds above the threshold (or refunding spent coins) and
 * adjustments above theirs. Approve is not offered on one's own request (the server refuses it too).
 */
export const ApprovalsQueue = () => {
  const refunds = usePending('refunds');
  const adjustments = usePending('adjustments');
  return (
    <Stack spacing={2} sx={{ mt: 2 }}>
      <Title title="Approvals" />
      <Card>
        <CardContent>
          <Typography variant="h6" data-section="refund-approvals">Refunds waiting ({refunds.total})</Typography>
          <ListContextProvider value={refunds.list}>
            <Datagrid resource="refunds" rowClick="show" bulkActionButtons={false} empty={<Typography variant="body2">Nothing waits.</Typography>}>
              <AmountField source="amount" unitSource="currency" />
              <AmountField source="coins" unit="COIN" />
              <TextField source="user_id" label="User" />
              <TextField source="reason" />
              <TextField source="requested_by_email" label="Requested by" />
              <DateField source="created_at" label="Asked at" showTime />
              <RefundActions />
            </Datagrid>
          </ListContextProvider>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" data-section="adjustment-approvals">Adjustments waiting ({adjustments.total})</Typography>
          <ListContextProvider value={adjustments.list}>
            <Datagrid resource="adjustments" rowClick="show" bulkActionButtons={false} empty={<Typography variant="body2">Nothing waits.</Typography>}>
              <TextField source="target_id" label="User or creator" />
              <TextField source="direction" />
              <AmountField source="amount" unitSource="asset" />
              <TextField source="reason_code" label="Reason" />
              <TextField source="note" />
              <TextField source="requested_by_email" label="Requested by" />
              <AdjustmentActions />
            </Datagrid>
          </ListContextProvider>
        </CardContent>
      </Card>
    </Stack>
  );
};
