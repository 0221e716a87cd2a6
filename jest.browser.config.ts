import type { Config } from 'jest';
import base from './jest.config';

/** Headless-Chromium suites: the agent console and the sample's two pages. */
const config: Config = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
};

export default config;
