module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  displayName: require('./package.json').name,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  globalSetup: '<rootDir>/../../libs/db/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/db/src/testing/global-teardown.ts',
  testTimeout: 60_000,
};
