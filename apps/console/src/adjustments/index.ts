import TuneIcon from '@mui/icons-material/Tune';
import type { RaRecord } from 'react-admin';
import { AdjustmentCreate } from './AdjustmentCreate';
import { AdjustmentList } from './AdjustmentList';
import { AdjustmentShow } from './AdjustmentShow';

export default {
  list: AdjustmentList,
  show: AdjustmentShow,
  create: AdjustmentCreate,
  icon: TuneIcon,
  options: { label: 'Adjustments' },
  recordRepresentation: (record: RaRecord) => `${record.direction} ${record.amount} ${record.asset} (${record.target_id})`,
};
