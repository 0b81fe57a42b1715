// Shared jest settings for every server-side project (api, worker, libs, tools).
// TypeScript is compiled by SWC (with decorator metadata, which NestJS's DI needs);
// `@coinops/<lib>` resolves to the lib's source, exactly as at runtime.
const path = require('node:path');

const root = __dirname;

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// Dependencies that ship ES modules only. Node >= 20.19 require()s them natively, jest's module
// loader does not: SWC compiles just these packages to CommonJS, the rest of node_modules stays as is.
const ESM_ONLY_PACKAGES = ['@marcbachmann/cel-js', '@scure/base', '@noble/hashes'];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [require.resolve('@swc/jest'), swcOptions],
    [`node_modules/(${ESM_ONLY_PACKAGES.join('|')})/.+\\.js$`]: [
      require.resolve('@swc/jest'),
      { ...swcOptions, jsc: { ...swcOptions.jsc, parser: { syntax: 'ecmascript' } } },
    ],
  },
  // `(.*/)?` also reaches copies nested under another package's node_modules (otplib's @noble/hashes 2).
  transformIgnorePatterns: [`/node_modules/(?!(.*/)?(${ESM_ONLY_PACKAGES.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@coinops/([a-z-]+)$': path.join(root, 'libs/$1/src/index.ts'),
  },
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: [require.resolve('reflect-metadata')],
};
