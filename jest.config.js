/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type errors are caught by `tsc --noEmit` in `npm test`; ts-jest only transpiles (isolatedModules).
  transform: { '^.+\\.ts$': 'ts-jest' },
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  testTimeout: 20000,
};
