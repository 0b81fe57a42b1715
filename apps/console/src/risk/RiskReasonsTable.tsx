import { Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
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

const showValue = (value: unknown) => (Array.isArray(value) ? value.join(', ') || '—' : String(value));

/** The rules that matched a risk decision, each with the feature values that made it match (recharges, alerts, reviews). */
export const RiskReasonsTable = ({ reasons }: { reasons: readonly ExplanationReason[] }) => (
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
      {reasons.map((reason) => (
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
);
