/**
 * Builds a client aimed at a {@link FakeGateway} with test-friendly settings: no real waits
 * (sleeps are recorded), deterministic jitter, silent logs.
 */
import { silentLogger } from '../../../src/logger';
import { ChatGatewayClient, type ChatGatewayClientOptions } from '../../../src/gateway';
import type { FakeGateway } from './fake-gateway';

/** The api key every test client uses; tests grep errors and logs for it. */
export const TEST_API_KEY = 'test-api-key-7f3a9c1e5b';

/** A client plus the waits it asked for. */
export interface TestClient {
  client: ChatGatewayClient;
  sleeps: number[];
}

/** Creates a client for `fake`; `overrides` win over the test defaults. */
export function clientFor(fake: FakeGateway, overrides: Partial<ChatGatewayClientOptions> = {}): TestClient {
  const sleeps: number[] = [];
  const client = new ChatGatewayClient({
    apiKey: TEST_API_KEY,
    baseUrl: `${fake.url}/`,
    tenantId: 'tenant-1',
    logger: silentLogger,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
  return { client, sleeps };
}

/** The fake gateway and client of a suite, set up by {@link useFakeGateway}. */
export interface FakeGatewaySuite {
  fake: FakeGateway;
  client: ChatGatewayClient;
}

/**
 * Starts a fake gateway and a client for the enclosing `describe` (reset after each test, closed
 * after all). Read the fields inside tests: they are set in `beforeAll`.
 */
export function useFakeGateway(start: () => Promise<FakeGateway>): FakeGatewaySuite {
  const suite = {} as FakeGatewaySuite;
  beforeAll(async () => {
    suite.fake = await start();
    suite.client = clientFor(suite.fake).client;
  });
  afterEach(() => suite.fake.reset());
  afterAll(async () => {
    suite.client.close();
    await suite.fake.close();
  });
  return suite;
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
