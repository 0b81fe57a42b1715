import ReviewIcon from '@mui/icons-material/FactCheck';
import type { RaRecord } from 'react-admin';
import { ReviewList } from './ReviewList';
import { ReviewShow } from './ReviewShow';

export default {
  list: ReviewList,
  show: ReviewShow,
  icon: ReviewIcon,
  options: { label: 'Review queue' },
  recordRepresentation: (record: RaRecord) => `${record.severity} review of ${record.user_id}`,
};
