module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  displayName: require('./package.json').name,
  globalSetup: '<rootDir>/../db/src/testing/global-setup.ts',
  globalTeardown: '<rootDir>/../db/src/testing/global-teardown.ts',
};
