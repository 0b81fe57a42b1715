/** The engine's enumerations (libs/risk `RISK_ACTIONS` ...), as react-admin choices. */
const choices = (values: readonly string[]) => values.map((id) => ({ id, name: id.replace(/_/g, ' ') }));

export const actionChoices = choices(['allow', 'review', 'block']);
export const severityChoices = choices(['low', 'medium', 'high', 'critical']);
export const eventKindChoices = choices(['recharge', 'gift', 'any']);

/** Chip colours for an action and a severity: block and critical stand out. */
export const actionColor = (action: unknown) => (action === 'block' ? 'error' : action === 'review' ? 'warning' : 'success');
export const severityColor = (severity: unknown) =>
  severity === 'critical' ? 'error' : severity === 'high' ? 'warning' : severity === 'medium' ? 'info' : 'default';
