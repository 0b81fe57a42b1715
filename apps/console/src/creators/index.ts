import CreatorIcon from '@mui/icons-material/Stars';
import type { RaRecord } from 'react-admin';
import { CreatorList } from './CreatorList';
import { CreatorShow } from './CreatorShow';

export default {
  list: CreatorList,
  show: CreatorShow,
  icon: CreatorIcon,
  recordRepresentation: (record: RaRecord) => String(record.id),
};
