import { Box, Chip, Typography } from '@mui/material';
import { DateField, Labeled, NumberField, Show, SimpleShowLayout, TextField, useRecordContext } from 'react-admin';
import { JsonBlock } from '../audit-events/JsonBlock';
import { actionColor } from '../rules/choices';
import { RiskReasonsTable, type ExplanationReason } from '../risk/RiskReasonsTable';

interface Explanation {
  decision: string;
  score: number;
  reasons: ExplanationReason[];
  allowed_by: { lists: Array<{ list: string; kind: string; value: string }>; rule_keys: string[] } | null;
  rule_errors: Array<{ rule_key: string; version: number; message: string }>;
  features: Record<string, unknown>;
  evaluated_at: string;
}


/** The decision this alert belongs to: every matching rule with the feature values that made it match. */
const DecisionExplanation = () => {
  const record = useRecordContext();
  const explanation = record?.explanation as Explanation | undefined;
  if (!explanation) return null;
  return (
    <Box data-testid="alert-explanation">
      <Typography variant="h6">
        Decision <Chip size="small" label={explanation.decision} color={actionColor(explanation.decision)} /> score {explanation.score}
      </Typography>
      {explanation.allowed_by && (
        <Typography color="text.secondary">
          Turned into allow by {[...explanation.allowed_by.lists.map((hit) => `${hit.list} list (${hit.kind} ${hit.value})`), ...explanation.allowed_by.rule_keys].join(', ')}
        </Typography>
      )}
      <RiskReasonsTable reasons={explanation.reasons} />
      {explanation.rule_errors.length > 0 && (
        <Typography color="error" sx={{ mt: 1 }}>
          Rules that failed and counted as not matching: {explanation.rule_errors.map((e) => `${e.rule_key} v${e.version}: ${e.message}`).join('; ')}
        </Typography>
      )}
      <Box sx={{ mt: 2 }}>
        <JsonBlock title="Every feature the rules saw" value={explanation.features} />
      </Box>
    </Box>
  );
};

export const AlertShow = () => (
  <Show title="Alert">
    <SimpleShowLayout>
      <DateField source="created_at" label="Time" showTime />
      <TextField source="rule_key" label="Rule" />
      <NumberField source="rule_version" label="Rule version" />
      <TextField source="action" />
      <TextField source="severity" />
      <TextField source="subject_type" label="Subject" />
      <TextField source="subject_id" label="Recharge or gift id" />
      <TextField source="user_id" label="User" />
      <Labeled label="Explanation" fullWidth>
        <DecisionExplanation />
      </Labeled>
    </SimpleShowLayout>
  </Show>
);
