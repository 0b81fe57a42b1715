import { Create, maxLength, regex, required, SimpleForm, TextInput } from 'react-admin';
import { RuleFields, toRuleDraft } from './RuleFields';

const defaults = { event_kind: 'recharge', action: 'review', score: 50, severity: 'medium', enabled: true, description: '' };

export const RuleCreate = () => (
  <Create transform={(record: Record<string, unknown>) => ({ key: record.key, ...toRuleDraft(record) })} redirect="edit" mutationMode="pessimistic">
    <SimpleForm defaultValues={defaults}>
      <TextInput
        source="key"
        helperText="Lower-case identifier; never changes"
        validate={[required(), maxLength(63), regex(/^[a-z][a-z0-9_]*$/, 'a-z, 0-9 and _, starting with a letter')]}
      />
      <RuleFields />
    </SimpleForm>
  </Create>
);
