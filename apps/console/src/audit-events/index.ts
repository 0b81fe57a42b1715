import AuditIcon from '@mui/icons-material/History';
import type { RaRecord } from 'react-admin';
import { AuditEventList } from './AuditEventList';
import { AuditEventShow } from './AuditEventShow';

export default {
  list: AuditEventList,
  show: AuditEventShow,
  icon: AuditIcon,
  options: { label: 'Audit log' },
  recordRepresentation: (record: RaRecord) => `${record.action} ${record.entity} ${record.entity_id ?? ''}`.trim(),
};
