import type { Role } from '@coinops/contracts';
import type { DataSource } from 'typeorm';
import { recordAudit } from './audit/audit';
import { systemActor } from './audit/actor';
import { OperatorEntity } from './operators/operator.entity';
import { hashPassword } from './operators/passwords';

export const DEMO_PASSWORD = 'coinops-demo';

/** One operator per role, two for the roles that need a second approver (four-eyes). */
export const DEMO_OPERATORS: ReadonlyArray<{ email: string; name: string; role: Role }> = [
  { email: 'admin@coinops.dev', name: 'Ada Admin', role: 'admin' },
  { email: 'ts@coinops.dev', name: 'Tomas Trust', role: 'trust_safety' },
  { email: 'finance@coinops.dev', name: 'Fiona Finance', role: 'finance' },
  { email: 'finance2@coinops.dev', name: 'Felix Finance', role: 'finance' },
  { email: 'support@coinops.dev', name: 'Sam Support', role: 'support' },
  { email: 'support2@coinops.dev', name: 'Sadie Support', role: 'support' },
  { email: 'viewer@coinops.dev', name: 'Vera Viewer', role: 'viewer' },
];

/**
 * Seeds the demo operators when there are none. Refused in production: the demo password is
 * printed in the README. The demo password is shorter than the policy for new operators on
 * purpose: it is typed by people trying coinops, never set through the API.
 */
export async function seedDemoOperators(dataSource: DataSource, nodeEnv: string): Promise<number> {
  if (nodeEnv === 'production') throw new Error('refusing to seed demo operators when NODE_ENV=production');
  const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM operators`);
  if (count > 0) return 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await dataSource.transaction(async (manager) => {
    for (const demo of DEMO_OPERATORS) {
      const row = await manager.save(OperatorEntity, manager.create(OperatorEntity, { ...demo, passwordHash }));
      await recordAudit(manager, systemActor('seed'), { action: 'operator.seeded', entity: 'operator', entityId: row.id, after: { email: demo.email, role: demo.role } });
    }
  });
  return DEMO_OPERATORS.length;
}
