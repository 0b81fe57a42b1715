/** The recharge enumerations of libs/payments (RECHARGE_STATES, RECHARGE_DECISIONS, PAYMENT_METHODS), as react-admin choices. */
const choices = (values: readonly string[]) => values.map((id) => ({ id, name: id.replace(/_/g, ' ') }));

export const rechargeStateChoices = choices(['received', 'credited', 'held', 'blocked_pending_refund', 'refunded', 'charged_back']);
export const rechargeDecisionChoices = choices(['allow', 'review', 'block']);
export const paymentMethodChoices = choices(['card', 'paypal', 'google_pay', 'apple_pay', 'app_store', 'play_store']);

/** Chip colour of a recharge state: what needs a person stands out. */
export const rechargeStateColor = (state: unknown) =>
  state === 'credited' ? 'success' : state === 'held' ? 'warning' : state === 'blocked_pending_refund' || state === 'charged_back' ? 'error' : 'default';

/** `<input type="datetime-local">` has no zone; send the instant the operator meant. */
export const toIsoInstant = (value: string) => (value ? new Date(value).toISOString() : null);

/** A whole number of minor units typed by a person, sent as the decimal string the API expects. */
export const toMinorUnits = (value: string | number | null) => {
  const text = value === null || value === undefined ? '' : String(value).trim();
  return /^\d{1,15}$/.test(text) ? text : null;
};
