// Shared jest settings for every server-side project (api, worker, libs, tools).
// TypeScript is compiled by SWC (with decorator metadata, which NestJS's DI needs);
// `@coinops/<lib>` resolves to the lib's source, exactly as at runtime.
const path = require('node:path');

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      require.resolve('@swc/jest'),
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@coinops/([a-z-]+)$': path.join(root, 'libs/$1/src/index.ts'),
  },
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: [require.resolve('reflect-metadata')],
};
