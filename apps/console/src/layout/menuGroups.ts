/**
 * The sidebar's sections, in the order an operator's day goes: what came in, what needs a decision, who,
 * what goes out, and administration. Every console resource belongs to exactly one section (a unit test
 * checks it against CONSOLE_RESOURCES, so a new resource has to be placed). Which entries a role sees is
 * still decided by the access table.
 */
export const MENU_GROUPS: ReadonlyArray<{ label: string; resources: readonly string[] }> = [
  { label: 'Money in', resources: ['recharges', 'refunds', 'adjustments', 'approvals', 'chargebacks'] },
  { label: 'Trust and safety', resources: ['reviews', 'unauthorized-activity', 'alerts', 'rules', 'list-entries'] },
  { label: 'People', resources: ['users', 'creators'] },
  { label: 'Payouts and ledger', resources: ['payouts', 'payout-batches', 'ledger-accounts', 'ledger-transactions'] },
  { label: 'Administration', resources: ['operators', 'audit-events'] },
];
