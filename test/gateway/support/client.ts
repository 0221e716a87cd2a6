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
