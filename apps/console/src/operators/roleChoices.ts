import { ROLES } from '@coinops/contracts';

const ROLE_LABELS: Record<(typeof ROLES)[number], string> = {
  admin: 'Admin',
  trust_safety: 'Trust & safety',
  finance: 'Finance',
  support: 'Support',
  viewer: 'Viewer',
};

export const roleChoices = ROLES.map((role) => ({ id: role, name: ROLE_LABELS[role] }));
