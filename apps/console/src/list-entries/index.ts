import ListIcon from '@mui/icons-material/PlaylistRemove';
import type { RaRecord } from 'react-admin';
import { ListEntryCreate } from './ListEntryCreate';
import { ListEntryList } from './ListEntryList';
import { ListEntryShow } from './ListEntryShow';

export default {
  list: ListEntryList,
  show: ListEntryShow,
  create: ListEntryCreate,
  icon: ListIcon,
  options: { label: 'Block/allow lists' },
  recordRepresentation: (record: RaRecord) => `${record.list} ${record.kind} ${record.value}`,
};
