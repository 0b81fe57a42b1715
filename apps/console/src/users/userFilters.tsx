import { BooleanInput, NullableBooleanInput, SearchInput, TextInput } from 'react-admin';

export const userFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Id, email, device, IP" />,
  <TextInput key="country" source="country" label="Country (ISO)" />,
  <NullableBooleanInput key="frozen" source="frozen" />,
  <BooleanInput key="has_debt" source="has_debt" label="In debt" />,
  <NullableBooleanInput key="profile_received" source="profile_received" label="Profile received" />,
];
