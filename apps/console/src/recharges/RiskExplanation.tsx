import { Box, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { actionColor } from '../rules/choices';

export interface ExplanationReason {
  rule_key: string;
  rule_name: string;
  version: number;
  action: string;
  severity: string;
  score: number;
  values: Record<string, unknown>;
}

export interface RiskExplanationData {
  decision: string;
  score: number;
  reasons: ExplanationReason[];
}

const showValue = (value: unknown) => (Array.isArray(value) ? value.join(', ') || '—' : String(value));

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
        <Table size="small" sx={{ mt: 1 }}>
          <TableHead>
            <TableRow>
              <TableCell>Rule</TableCell>
              <TableCell>Action</TableCell>
              <TableCell>Severity</TableCell>
              <TableCell>Score</TableCell>
              <TableCell>Values that matched</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {risk.reasons.map((reason) => (
              <TableRow key={reason.rule_key} data-rule={reason.rule_key}>
                <TableCell>
                  {reason.rule_name}{' '}
                  <Typography variant="caption" color="text.secondary">
                    ({reason.rule_key} v{reason.version})
                  </Typography>
                </TableCell>
                <TableCell>
                  <Chip size="small" label={reason.action} color={actionColor(reason.action)} />
                </TableCell>
                <TableCell>{reason.severity}</TableCell>
                <TableCell>{reason.score}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>
                  {Object.entries(reason.values).map(([name, value]) => (
                    <div key={name}>
                      {name} = {showValue(value)}
                    </div>
                  ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
};
