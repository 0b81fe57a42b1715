import AlertIcon from '@mui/icons-material/NotificationImportant';
import type { RaRecord } from 'react-admin';
import { AlertList } from './AlertList';
import { AlertShow } from './AlertShow';

export default {
  list: AlertList,
  show: AlertShow,
  icon: AlertIcon,
  options: { label: 'Alerts' },
  recordRepresentation: (record: RaRecord) => `${record.rule_key} on ${record.subject_type} ${record.subject_id}`,
};
