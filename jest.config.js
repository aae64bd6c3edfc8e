/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type errors are caught by `tsc --noEmit` in `npm test`; ts-jest only transpiles.
    '^.+\\.ts$': 'ts-jest',
  },
  testTimeout: 20000,
};
