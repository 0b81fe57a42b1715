import GavelIcon from '@mui/icons-material/Gavel';
import type { RaRecord } from 'react-admin';
import { ChargebackList } from './ChargebackList';
import { ChargebackShow } from './ChargebackShow';

export default {
  list: ChargebackList,
  show: ChargebackShow,
  icon: GavelIcon,
  options: { label: 'Chargebacks' },
  recordRepresentation: (record: RaRecord) => `${record.dispute_id} (${record.user_id})`,
};
