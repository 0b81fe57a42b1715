import { BooleanField, ChipField, DateField, Show, SimpleShowLayout, TextField, useRecordContext } from 'react-admin';
import { BalanceCard } from '../fields/BalanceCard';
import { Journal } from '../ledger/Journal';
import { CreatorEarnings, CreatorGiftSources, CreatorPayouts } from './CreatorPayoutPanels';

const CreatorJournal = () => {
  const record = useRecordContext();
  return record ? <Journal path={`creators/${encodeURIComponent(String(record.id))}/journal`} unit="DIAMOND" title="Diamond journal" /> : null;
};

const CreatorTitle = () => {
  const record = useRecordContext();
  return <span>Creator {record?.id ?? ''}</span>;
};

export const CreatorShow = () => (
  <Show title={<CreatorTitle />}>
    <SimpleShowLayout>
      <BalanceCard unit="DIAMOND" suffix="diamonds" />
      <TextField source="id" label="Creator id" />
      <TextField source="user_id" label="User id" emptyText="—" />
      <TextField source="country" emptyText="—" />
      <ChipField source="kyc_status" label="KYC" size="small" />
      <TextField source="tax_form" label="Tax form" emptyText="—" />
      <TextField source="payout_currency" label="Payout currency" emptyText="—" />
      <BooleanField source="profile_received" label="Profile received (creator.created)" />
      <DateField source="created_at" label="Known since" showTime />
      <CreatorEarnings />
      <CreatorPayouts />
      <CreatorGiftSources />
      <CreatorJournal />
    </SimpleShowLayout>
  </Show>
);
