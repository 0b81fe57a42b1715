import FactCheckIcon from '@mui/icons-material/FactCheck';
import { ApprovalsQueue } from './ApprovalsQueue';

/** Not an API resource: a page gathering the refunds and adjustments waiting for a second operator. */
export default {
  list: ApprovalsQueue,
  icon: FactCheckIcon,
  options: { label: 'Approvals' },
};
