import { accessEntities, DEMO_PASSWORD, seedDemoOperators } from '@coinops/access';
import { createDataSource } from '@coinops/db';
import { createTestDatabase, dropTestDatabase } from '../../../libs/db/src/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { createApiApp } from '../src/app.factory';

export interface TestApi {
  app: INestApplication;
  http: App;
  dataSource: DataSource;
  /** A bearer token for a demo operator, e.g. `token('admin')` → admin@coinops.dev. */
  token(who: 'admin' | 'ts' | 'finance' | 'finance2' | 'support' | 'support2' | 'viewer'): Promise<string>;
  close(): Promise<void>;
}

/**
 * Boots the real API on a database of its own, seeded like the run's, dropped on close: for a spec that
 * must break something shared (a corrupted balance) without other spec files, running at the same time
 * on the run's database, seeing it.
 */
export async function startIsolatedApi(label: string): Promise<TestApi> {
  const url = await createTestDatabase(label);
  const seeding = createDataSource({ url, entities: accessEntities, poolSize: 1 });
  await seeding.initialize();
  await seedDemoOperators(seeding, 'test').finally(() => seeding.destroy());
  const runUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url; // read once, when the app's configuration is built
  let api: TestApi;
  try {
    api = await startApi();
  } finally {
    process.env.DATABASE_URL = runUrl;
  }
  return {
    ...api,
    async close() {
      await api.close();
      await dropTestDatabase(url);
    },
  };
}

/** Boots the real API (real PostgreSQL and Redis of this test run) on an ephemeral port. */
export async function startApi(): Promise<TestApi> {
  const app = await createApiApp({ logs: false });
  await app.init();
  const http = app.getHttpServer();
  const tokens = new Map<string, string>();
  return {
    app,
    http,
    dataSource: app.get(DataSource),
    async token(who) {
      const cached = tokens.get(who);
      if (cached) return cached;
      const response = await request(http).post('/api/auth/login').send({ email: `${who}@coinops.dev`, password: DEMO_PASSWORD });
      if (response.status !== 200) throw new Error(`login as ${who} failed: ${response.status} ${JSON.stringify(response.body)}`);
      tokens.set(who, response.body.token);
      return response.body.token;
    },
    close: () => app.close(),
  };
}

export const uniqueEmail = (label: string) => `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@coinops.dev`;
