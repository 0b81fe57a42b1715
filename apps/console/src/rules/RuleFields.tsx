import { BooleanInput, maxLength, NumberInput, number, maxValue, minValue, required, SelectInput, TextInput } from 'react-admin';
import { actionChoices, eventKindChoices, severityChoices } from './choices';
import { ExpressionInput } from './ExpressionInput';

/** The editable content of a rule, shared by the create and edit forms. */
export const RuleFields = () => (
  <>
    <TextInput source="name" validate={[required(), maxLength(200)]} fullWidth />
    <SelectInput source="event_kind" label="Applies to" choices={eventKindChoices} validate={required()} />
    <ExpressionInput />
    <SelectInput source="action" choices={actionChoices} validate={required()} />
    <NumberInput source="score" validate={[required(), number(), minValue(0), maxValue(100)]} step={1} />
    <SelectInput source="severity" choices={severityChoices} validate={required()} />
    <TextInput source="description" multiline fullWidth validate={maxLength(2000)} />
    <BooleanInput source="enabled" />
  </>
);

/** What a save sends: the draft fields only (the server refuses unknown fields). */
export function toRuleDraft(record: Record<string, unknown>) {
  const { name, event_kind, expression, action, score, severity, description, enabled } = record;
  return { name, event_kind, expression, action, score: Number(score), severity, description: description ?? '', enabled: Boolean(enabled) };
}
