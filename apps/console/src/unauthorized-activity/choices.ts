import { UNAUTHORIZED_ACTIVITY_MACHINE, UNAUTHORIZED_ACTIVITY_STATES, canTransition, type UnauthorizedActivityAction, type UnauthorizedActivityState } from '@coinops/contracts';

export const reportStateChoices = UNAUTHORIZED_ACTIVITY_STATES.map((state) => ({ id: state, name: state.replace('_', ' ') }));

export function reportStateColor(state: string): 'warning' | 'error' | 'success' | 'default' {
  return state === 'open' ? 'warning' : state === 'confirmed' ? 'error' : state === 'recovered' ? 'success' : 'default';
}

/** The buttons a report shows come from the same table the server enforces. */
export const canReport = (state: unknown, action: UnauthorizedActivityAction) =>
  UNAUTHORIZED_ACTIVITY_STATES.includes(state as UnauthorizedActivityState) && canTransition(UNAUTHORIZED_ACTIVITY_MACHINE, state as UnauthorizedActivityState, action);
