import PaymentsIcon from '@mui/icons-material/Payments';
import type { RaRecord } from 'react-admin';
import { RechargeList } from './RechargeList';
import { RechargeShow } from './RechargeShow';

export default {
  list: RechargeList,
  show: RechargeShow,
  icon: PaymentsIcon,
  options: { label: 'Recharges' },
  recordRepresentation: (record: RaRecord) => `${record.provider_ref} (${record.user_id})`,
};
