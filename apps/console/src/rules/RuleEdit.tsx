import { Box, Divider } from '@mui/material';
import { Edit, Labeled, maxLength, SimpleForm, TextField, TextInput, TopToolbar, ShowButton } from 'react-admin';
import { BacktestPanel } from './BacktestPanel';
import { RuleFields, toRuleDraft } from './RuleFields';
import { RuleVersions } from './RuleVersions';

/** A save is a new immutable version that goes live at once; the reason goes into the audit row. */
const toNewVersion = (record: Record<string, unknown>) => {
  const reason = typeof record.reason === 'string' ? record.reason.trim() : '';
  return { ...toRuleDraft(record), ...(reason ? { reason } : {}) };
};

const EditActions = () => (
  <TopToolbar>
    <ShowButton />
  </TopToolbar>
);

export const RuleEdit = () => (
  <Edit transform={toNewVersion} mutationMode="pessimistic" actions={<EditActions />} redirect={false}>
    <SimpleForm>
      <Box sx={{ display: 'flex', gap: 4 }}>
        <Labeled label="Key">
          <TextField source="key" />
        </Labeled>
        <Labeled label="Live version">
          <TextField source="live_version" />
        </Labeled>
      </Box>
      <RuleFields />
      <TextInput source="reason" helperText="Why this change; recorded in the audit log" multiline fullWidth validate={maxLength(1000)} />
    </SimpleForm>
    <Divider />
    <Box sx={{ p: 2 }}>
      <RuleVersions />
      <BacktestPanel />
    </Box>
  </Edit>
);
