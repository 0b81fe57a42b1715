/**
 * The platform's own ids, as strings (DESIGN §7). A user or creator id becomes part of a ledger account
 * code (`user:<id>:coins`), so it uses the ledger's owner-id alphabet; gift ids become ledger references
 * (at most 100 characters) and event ids are keys of their own.
 */
export const PLATFORM_ID = /^[A-Za-z0-9_.-]{1,64}$/;
export const EVENT_ID = /^[A-Za-z0-9_.:-]{1,200}$/;
export const GIFT_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
/** Free-form references (device ids, gift types, live sessions): printable, bounded, no control characters. */
// eslint-disable-next-line no-control-regex
export const PRINTABLE = /^[^\u0000-\u001f\u007f]+$/;

export const PLATFORM_ID_MESSAGE = 'must be 1-64 letters, digits, dots, dashes or underscores';
