import OperatorIcon from '@mui/icons-material/ManageAccounts';
import type { RaRecord } from 'react-admin';
import { OperatorCreate } from './OperatorCreate';
import { OperatorEdit } from './OperatorEdit';
import { OperatorList } from './OperatorList';

export default {
  list: OperatorList,
  create: OperatorCreate,
  edit: OperatorEdit,
  icon: OperatorIcon,
  recordRepresentation: (record: RaRecord) => `${record.name} <${record.email}>`,
};
