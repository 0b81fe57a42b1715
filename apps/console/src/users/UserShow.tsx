import { Alert } from '@mui/material';
import { BooleanField, DateField, NumberField, Show, SimpleShowLayout, TextField, useRecordContext } from 'react-admin';
import { Journal } from '../ledger/Journal';
import { BalanceCard } from '../fields/BalanceCard';
import { UserCasework, UserShowActions } from './UserCasework';
import { DebtBanner, UserChargebacks } from './UserChargebacks';

const FrozenBanner = () => {
  const record = useRecordContext();
  if (!record?.frozen) return null;
  return (
    <Alert severity="warning" sx={{ mb: 2 }} data-testid="frozen-banner">
      Gifting is frozen since {new Date(record.frozen_at).toLocaleString()}: {record.frozen_reason}
    </Alert>
  );
};

const UserJournal = () => {
  const record = useRecordContext();
  return record ? <Journal path={`users/${encodeURIComponent(String(record.id))}/journal`} unit="COIN" title="Coin journal" /> : null;
};

export const UserShow = () => (
  <Show title={<UserTitle />} actions={<UserShowActions />}>
    <SimpleShowLayout>
      <FrozenBanner />
      <DebtBanner />
      <BalanceCard unit="COIN" suffix="coins" />
      <TextField source="id" label="User id" />
      <TextField source="email" emptyText="—" />
      <TextField source="country" emptyText="—" />
      <NumberField source="birth_year" label="Birth year" options={{ useGrouping: false }} emptyText="—" />
      <TextField source="device_id" label="Device" emptyText="—" />
      <TextField source="ip" label="IP" emptyText="—" />
      <BooleanField source="profile_received" label="Profile received (user.created)" />
      <DateField source="created_at" label="Known since" showTime />
      <UserJournal />
      <UserChargebacks />
      <UserCasework />
    </SimpleShowLayout>
  </Show>
);

const UserTitle = () => {
  const record = useRecordContext();
  return <span>User {record?.id ?? ''}</span>;
};
