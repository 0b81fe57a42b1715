import { Create, PasswordInput, SelectInput, SimpleForm, TextInput, email, maxLength, minLength, required } from 'react-admin';
import { roleChoices } from './roleChoices';

export const OperatorCreate = () => (
  <Create redirect="list">
    <SimpleForm defaultValues={{ role: 'viewer' }}>
      <TextInput source="email" type="email" validate={[required(), email(), maxLength(254)]} />
      <TextInput source="name" validate={[required(), maxLength(200)]} />
      <SelectInput source="role" choices={roleChoices} validate={required()} />
      <PasswordInput
        source="password"
        autoComplete="new-password"
        validate={[required(), minLength(12), maxLength(256)]}
      />
    </SimpleForm>
  </Create>
);
