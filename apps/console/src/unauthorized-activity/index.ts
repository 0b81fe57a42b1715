import ReportIcon from '@mui/icons-material/ReportGmailerrorred';
import type { RaRecord } from 'react-admin';
import { UnauthorizedActivityList } from './UnauthorizedActivityList';
import { UnauthorizedActivityShow } from './UnauthorizedActivityShow';

export default {
  list: UnauthorizedActivityList,
  show: UnauthorizedActivityShow,
  icon: ReportIcon,
  options: { label: 'Unauthorized activity' },
  recordRepresentation: (record: RaRecord) => `report on ${record.user_id}`,
};
