/** Review enumerations (REVIEW_STATES, REVIEW_SEVERITIES of @coinops/contracts) as react-admin choices and chip colours. */
import { REVIEW_SEVERITIES, REVIEW_STATES } from '@coinops/contracts';

const choices = (values: readonly string[]) => values.map((id) => ({ id, name: id.replace(/_/g, ' ') }));

export const reviewStateChoices = choices(REVIEW_STATES);
export const reviewSeverityChoices = choices(REVIEW_SEVERITIES);

export const reviewStateColor = (state: unknown) =>
  state === 'escalated' ? 'error' : state === 'in_review' ? 'info' : state === 'open' ? 'warning' : state === 'approved' ? 'success' : 'default';

/** The queue's tabs: each a state filter; `active` is everything still waiting for a person. */
export const QUEUE_TABS = [
  { id: 'active', label: 'Active', state: ['open', 'in_review', 'escalated'] },
  { id: 'open', label: 'Open', state: ['open'] },
  { id: 'in_review', label: 'In review', state: ['in_review'] },
  { id: 'escalated', label: 'Escalated', state: ['escalated'] },
  { id: 'approved', label: 'Approved', state: ['approved'] },
  { id: 'rejected', label: 'Rejected', state: ['rejected'] },
] as const;
