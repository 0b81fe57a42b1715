import AccountIcon from '@mui/icons-material/AccountBalance';
import TransactionIcon from '@mui/icons-material/ReceiptLong';
import type { RaRecord } from 'react-admin';
import { LedgerAccountList } from './accounts/LedgerAccountList';
import { LedgerAccountShow } from './accounts/LedgerAccountShow';
import { LedgerTransactionList } from './transactions/LedgerTransactionList';
import { LedgerTransactionShow } from './transactions/LedgerTransactionShow';

/** The ledger section (finance and admin): `<Resource name="ledger-accounts" {...ledgerAccounts} />`. */
export const ledgerAccounts = {
  list: LedgerAccountList,
  show: LedgerAccountShow,
  icon: AccountIcon,
  options: { label: 'Ledger accounts' },
  recordRepresentation: (record: RaRecord) => String(record.code),
};

export const ledgerTransactions = {
  list: LedgerTransactionList,
  show: LedgerTransactionShow,
  icon: TransactionIcon,
  options: { label: 'Ledger transactions' },
  recordRepresentation: (record: RaRecord) => `${record.type} ${record.id}`,
};
