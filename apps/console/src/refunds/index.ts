import CurrencyExchangeIcon from '@mui/icons-material/CurrencyExchange';
import type { RaRecord } from 'react-admin';
import { RefundList } from './RefundList';
import { RefundShow } from './RefundShow';

export default {
  list: RefundList,
  show: RefundShow,
  icon: CurrencyExchangeIcon,
  options: { label: 'Refunds' },
  recordRepresentation: (record: RaRecord) => `${record.amount} ${record.currency} (${record.state})`,
};
