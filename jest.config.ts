import type { Config } from 'jest';

/** Unit, contract and integration suites (everything under test/ except the browser suites). */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/'],
  // Type checking is done once by `npm run typecheck`; transpiling alone keeps jest fast on 2 cores.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper: {
    '^botbuilder-8x8-handoff$': '<rootDir>/src/index.ts',
    '^botbuilder-8x8-handoff/emulator$': '<rootDir>/src/emulator/index.ts',
  },
  testTimeout: 30_000,
  // FC_SEED pins the property tests' inputs (CI); unset, each run draws new ones.
  setupFiles: ['<rootDir>/test/support/fast-check-seed.ts'],
  maxWorkers: 2,
};

export default config;
