import { defineStateMachine } from './state-machine';

/**
 * A user's report of recharges or gifts they did not make (DESIGN §4, docs/unauthorized-activity.md):
 * `open` (gifting frozen, a review item opened) → `confirmed` (account takeover: unspent coins refunded,
 * the intruder's devices and cards blocked) → `recovered` (the user has their account back: unfrozen) |
 * `not_confirmed` (closed; the user stays frozen only if trust and safety say so).
 */
export const UNAUTHORIZED_ACTIVITY_STATES = ['open', 'confirmed', 'recovered', 'not_confirmed'] as const;
export type UnauthorizedActivityState = (typeof UNAUTHORIZED_ACTIVITY_STATES)[number];

export const UNAUTHORIZED_ACTIVITY_MACHINE = defineStateMachine({
  entity: 'unauthorized activity report',
  states: UNAUTHORIZED_ACTIVITY_STATES,
  transitions: {
    confirm: { from: ['open'], to: 'confirmed' },
    dismiss: { from: ['open'], to: 'not_confirmed' },
    recover: { from: ['confirmed'], to: 'recovered' },
  },
});

export type UnauthorizedActivityAction = keyof typeof UNAUTHORIZED_ACTIVITY_MACHINE.transitions;
