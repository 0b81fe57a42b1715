import { IllegalTransition } from '../domain-errors';

/**
 * A state machine as data: for each action, the states it may start from and the state it leads to.
 * The service enforcing it, the console showing buttons and the tests walking every illegal
 * transition all read the same table.
 */
export interface StateMachine<S extends string, A extends string> {
  entity: string;
  states: readonly S[];
  transitions: Record<A, { from: readonly S[]; to: S }>;
}

export function defineStateMachine<S extends string, A extends string>(machine: StateMachine<S, A>): StateMachine<S, A> {
  for (const [action, { from, to }] of Object.entries(machine.transitions) as Array<[A, { from: readonly S[]; to: S }]>) {
    for (const state of [...from, to]) {
      if (!machine.states.includes(state)) throw new Error(`${machine.entity}.${action}: unknown state ${state}`);
    }
  }
  return machine;
}

export function canTransition<S extends string, A extends string>(machine: StateMachine<S, A>, state: S, action: A): boolean {
  return machine.transitions[action].from.includes(state);
}

/** The next state, or an `IllegalTransition` (409 naming the current state). */
export function transition<S extends string, A extends string>(machine: StateMachine<S, A>, id: string, state: S, action: A): S {
  if (!canTransition(machine, state, action)) throw new IllegalTransition(machine.entity, id, state, action);
  return machine.transitions[action].to;
}

/** Every (state, action) pair the machine refuses: what tests walk to prove each is a 409. */
export function illegalTransitions<S extends string, A extends string>(machine: StateMachine<S, A>): Array<{ state: S; action: A }> {
  const refused: Array<{ state: S; action: A }> = [];
  for (const state of machine.states) {
    for (const action of Object.keys(machine.transitions) as A[]) {
      if (!canTransition(machine, state, action)) refused.push({ state, action });
    }
  }
  return refused;
}
