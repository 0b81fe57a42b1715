import RuleIcon from '@mui/icons-material/Rule';
import type { RaRecord } from 'react-admin';
import { RuleCreate } from './RuleCreate';
import { RuleEdit } from './RuleEdit';
import { RuleList } from './RuleList';
import { RuleShow } from './RuleShow';

export default {
  list: RuleList,
  show: RuleShow,
  edit: RuleEdit,
  create: RuleCreate,
  icon: RuleIcon,
  options: { label: 'Rules' },
  recordRepresentation: (record: RaRecord) => String(record.key),
};
