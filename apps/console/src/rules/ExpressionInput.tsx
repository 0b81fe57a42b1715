import { Alert, Box, TextField as MuiTextField } from '@mui/material';
import { useState } from 'react';
import { Button, maxLength, required, useInput, ValidationError } from 'react-admin';
import { problemOf, validateExpression } from './riskApi';

/** The server says where an expression is wrong as `... (line L, column C)`. */
export function positionIn(message: string | undefined): { line: number; column: number } | null {
  const match = /\(line (\d+), column (\d+)\)\s*$/.exec(message ?? '');
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

/** The offending line of the expression with a caret under the column the server named. */
export const ExpressionFrame = ({ expression, message }: { expression: string; message: string | undefined }) => {
  const position = positionIn(message);
  const line = position ? (expression ?? '').split('\n')[position.line - 1] : undefined;
  if (!position || line === undefined) return null;
  return (
    <Box
      component="pre"
      data-testid="expression-error-frame"
      sx={{ m: 0, mt: 0.5, p: 1, borderRadius: 1, bgcolor: 'action.hover', fontSize: 12, fontFamily: 'monospace', overflowX: 'auto' }}
    >
      {`${position.line} | ${line}\n${' '.repeat(String(position.line).length)} | ${' '.repeat(Math.max(0, position.column - 1))}^`}
    </Box>
  );
};

/**
 * The rule's CEL expression: monospace, with the server's validation error (on save or on "Check")
 * shown under the field together with the line it points at.
 */
export const ExpressionInput = () => {
  const { field, fieldState, isRequired } = useInput({ source: 'expression', validate: [required(), maxLength(4000)] });
  const [check, setCheck] = useState<{ ok: boolean; message: string } | null>(null);
  const [checking, setChecking] = useState(false);
  const error = fieldState.error?.message;
  const value = String(field.value ?? '');

  const runCheck = async () => {
    setChecking(true);
    try {
      const result = await validateExpression(value);
      setCheck({ ok: true, message: result.references.length ? `Valid. Reads ${result.references.join(', ')}.` : 'Valid.' });
    } catch (failure) {
      setCheck({ ok: false, message: problemOf(failure, 'expression') });
    } finally {
      setChecking(false);
    }
  };

  return (
    <Box sx={{ width: '100%', mb: 2 }}>
      <MuiTextField
        {...field}
        value={value}
        onChange={(event) => {
          field.onChange(event);
          setCheck(null);
        }}
        label="Expression (CEL)"
        required={isRequired}
        multiline
        minRows={3}
        fullWidth
        error={Boolean(error)}
        helperText={error ? <ValidationError error={error} /> : 'A condition over the features, e.g. card.count_1h >= 5 && !lists.allowed'}
        slotProps={{ htmlInput: { spellCheck: false, 'data-testid': 'expression-input', style: { fontFamily: 'monospace' } } }}
      />
      <ExpressionFrame expression={value} message={error} />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 1 }}>
        <Button label="Check expression" onClick={runCheck} disabled={checking || !value.trim()} />
        {check && (
          <Alert severity={check.ok ? 'success' : 'error'} sx={{ py: 0, flex: 1 }} data-testid="expression-check">
            {check.message}
          </Alert>
        )}
      </Box>
      {check && !check.ok && <ExpressionFrame expression={value} message={check.message} />}
    </Box>
  );
};
