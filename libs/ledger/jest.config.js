module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  displayName: require('./package.json').name,
  globalSetup: '<rootDir>/../db/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../db/src/testing/global-teardown.ts',
  // The property test runs 200 concurrent sequences against PostgreSQL.
  testTimeout: 60_000,
};
