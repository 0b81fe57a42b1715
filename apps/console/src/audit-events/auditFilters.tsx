import { DateTimeInput, SearchInput, TextInput } from 'react-admin';

/** `<input type="datetime-local">` has no zone; send the instant the operator meant, in UTC. */
const toIsoInstant = (value: string) => (value ? new Date(value).toISOString() : null);

export const auditFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <TextInput key="action" source="action" />,
  <TextInput key="entity" source="entity" />,
  <TextInput key="entity_id" source="entity_id" label="Entity id" />,
  <TextInput key="actor_id" source="actor_id" label="Actor id" />,
  <DateTimeInput key="created_at_gte" source="created_at_gte" label="From" parse={toIsoInstant} />,
  <DateTimeInput key="created_at_lte" source="created_at_lte" label="To" parse={toIsoInstant} />,
];
