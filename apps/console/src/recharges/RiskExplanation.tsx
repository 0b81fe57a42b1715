import { Box, Chip, Typography } from '@mui/material';
import { RiskReasonsTable, type ExplanationReason } from '../risk/RiskReasonsTable';
import { actionColor } from '../rules/choices';

export type { ExplanationReason };

export interface RiskExplanationData {
  decision: string;
  score: number;
  reasons: ExplanationReason[];
}


/** A recorded risk decision: every matching rule, with the feature values that made it match. */
export const RiskExplanation = ({ risk, testId = 'risk-explanation' }: { risk: RiskExplanationData | null | undefined; testId?: string }) => {
  if (!risk) return <Typography color="text.secondary">No recorded risk decision (not evaluated yet).</Typography>;
  return (
    <Box data-testid={testId}>
      <Typography variant="subtitle1">
        Decision <Chip size="small" label={risk.decision} color={actionColor(risk.decision)} /> score {risk.score}
      </Typography>
      {risk.reasons.length === 0 ? (
        <Typography color="text.secondary">No rule matched.</Typography>
      ) : (
        <RiskReasonsTable reasons={risk.reasons} />
      )}
    </Box>
  );
};
