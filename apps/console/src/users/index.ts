import UserIcon from '@mui/icons-material/Person';
import type { RaRecord } from 'react-admin';
import { UserList } from './UserList';
import { UserShow } from './UserShow';

export default {
  list: UserList,
  show: UserShow,
  icon: UserIcon,
  recordRepresentation: (record: RaRecord) => String(record.email ?? record.id),
};
