import PayoutIcon from '@mui/icons-material/Payments';
import type { RaRecord } from 'react-admin';
import { PayoutList } from './PayoutList';
import { PayoutShow } from './PayoutShow';

export default {
  list: PayoutList,
  show: PayoutShow,
  icon: PayoutIcon,
  options: { label: 'Payouts' },
  recordRepresentation: (record: RaRecord) => `${record.payout_id} (${record.state})`,
};
