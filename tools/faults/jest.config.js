// The short form of the fault suite (src/fault-suite.spec.ts): real processes, a private PostgreSQL and
// Redis on free ports, faults injected. Minutes, not seconds: one file, run alone (maxWorkers 1).
module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  displayName: require('./package.json').name,
  maxWorkers: 1,
  testTimeout: 240_000,
  // A failed run must still end: the suite stops its processes in afterAll, but a socket to a service it
  // already killed can stay open, and CI must never wait on it.
  forceExit: true,
};
