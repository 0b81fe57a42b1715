import { mkdirSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startStack } from './stack';
import { testResults } from './stack/paths';

declare module 'vitest' {
  export interface ProvidedContext {
    consoleUrl: string;
    apiUrl: string;
    stripeWebhookSecret: string;
    eventsSecret: string;
    stripeSimUrl: string;
  }
}

/** One stack (fresh database, API, built console) for every e2e file of the run; stopped even on failure. */
export default async function setup(project: TestProject) {
  mkdirSync(testResults, { recursive: true });
  const stack = await startStack();
  console.info(`console e2e stack up at ${stack.consoleUrl}; timings (ms): ${JSON.stringify(stack.timingsMs)}`);
  project.provide('consoleUrl', stack.consoleUrl);
  project.provide('apiUrl', stack.apiUrl);
  project.provide('stripeWebhookSecret', stack.stripeWebhookSecret);
  project.provide('eventsSecret', stack.eventsSecret);
  project.provide('stripeSimUrl', stack.stripeSimUrl);
  return async () => {
    await stack.stop();
  };
}
