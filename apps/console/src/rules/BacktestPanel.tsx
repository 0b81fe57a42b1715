import { Alert, Box, Card, CardContent, TextField as MuiTextField, Typography } from '@mui/material';
import { useState } from 'react';
import { Button, useCanAccess, useRecordContext } from 'react-admin';
import { ExpressionFrame } from './ExpressionInput';
import { problemOf, runBacktest, type BacktestResult } from './riskApi';

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 30;

/** `<input type="datetime-local">` wants local time without a zone. */
const toLocalInput = (date: Date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const percent = (value: number | null, none: string) => (value === null ? none : `${(100 * value).toFixed(1)} %`);

const Figure = ({ label, value, testId }: { label: string; value: string; testId: string }) => (
  <Box sx={{ minWidth: 120 }}>
    <Typography variant="overline" color="text.secondary">
      {label}
    </Typography>
    <Typography variant="h6" data-testid={testId}>
      {value}
    </Typography>
  </Box>
);

/**
 * Replays a draft expression over the recorded decisions of a period and scores it against the
 * known fraud outcomes (chargebacks, rejected reviews, fraud refunds, confirmed account takeovers).
 */
export const BacktestPanel = () => {
  const record = useRecordContext();
  const { canAccess } = useCanAccess({ resource: 'rules', action: 'backtest' });
  const [expression, setExpression] = useState<string | null>(null);
  const [from, setFrom] = useState(() => toLocalInput(new Date(Date.now() - DEFAULT_RANGE_DAYS * DAY_MS)));
  const [to, setTo] = useState(() => toLocalInput(new Date()));
  const [result, setResult] = useState<BacktestResult | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  if (!canAccess) return null;
  const draft = expression ?? String(record?.expression ?? '');

  const run = async () => {
    setRunning(true);
    setProblem(null);
    try {
      setResult(await runBacktest({ expression: draft, from: new Date(from).toISOString(), to: new Date(to).toISOString(), event_kind: record?.event_kind === 'gift' ? 'gift' : 'recharge' }));
    } catch (failure) {
      setResult(null);
      setProblem(problemOf(failure, 'expression'));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Card variant="outlined" sx={{ mt: 2 }} data-testid="backtest-panel">
      <CardContent>
        <Typography variant="h6">Backtest</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          Runs a draft over the decisions recorded in the period, on the features each decision saw. Saves nothing.
        </Typography>
        <MuiTextField
          label="Draft expression"
          value={draft}
          onChange={(event) => setExpression(event.target.value)}
          multiline
          minRows={2}
          fullWidth
          slotProps={{ htmlInput: { spellCheck: false, 'data-testid': 'backtest-expression', style: { fontFamily: 'monospace' } } }}
        />
        <Box sx={{ display: 'flex', gap: 2, mt: 2, alignItems: 'center', flexWrap: 'wrap' }}>
          <MuiTextField label="From" type="datetime-local" value={from} onChange={(event) => setFrom(event.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
          <MuiTextField label="To" type="datetime-local" value={to} onChange={(event) => setTo(event.target.value)} slotProps={{ inputLabel: { shrink: true } }} />
          <Button label={running ? 'Running…' : 'Run backtest'} onClick={run} disabled={running || !draft.trim() || !from || !to} variant="contained" />
        </Box>
        {problem && (
          <Box sx={{ mt: 2 }}>
            <Alert severity="error" data-testid="backtest-error">
              {problem}
            </Alert>
            <ExpressionFrame expression={draft} message={problem} />
          </Box>
        )}
        {result && (
          <Box sx={{ display: 'flex', gap: 3, mt: 2, flexWrap: 'wrap' }} data-testid="backtest-result">
            <Figure label="Evaluated" value={result.evaluated.toLocaleString()} testId="backtest-evaluated" />
            <Figure label="Hits" value={result.hits.toLocaleString()} testId="backtest-hits" />
            <Figure label="Hit rate" value={percent(result.hit_rate, '—')} testId="backtest-hit-rate" />
            <Figure label="Known fraud" value={result.positives.toLocaleString()} testId="backtest-positives" />
            <Figure label="Precision" value={percent(result.precision, 'n/a (no hits)')} testId="backtest-precision" />
            <Figure label="Recall" value={percent(result.recall, 'n/a (no known fraud)')} testId="backtest-recall" />
            {result.errors > 0 && <Figure label="Errors" value={String(result.errors)} testId="backtest-errors" />}
            {result.truncated && <Alert severity="warning">Only the first evaluations of the period were replayed.</Alert>}
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
