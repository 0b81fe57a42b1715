import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

/**
 * Two projects: `unit` (jsdom, providers and menu, no network) and `e2e` (node, drives Debian's chromium
 * through the built console against the real API on a fresh database). `vitest run` runs both.
 */
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            environment: 'jsdom',
            include: ['src/**/*.test.{ts,tsx}'],
            testTimeout: 15_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['e2e/**/*.e2e.ts'],
            globalSetup: ['e2e/globalSetup.ts'],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            // One stack for the run (globalSetup); files take turns so two chromiums never share the two cores.
            fileParallelism: false,
          },
        },
      ],
    },
  }),
);
