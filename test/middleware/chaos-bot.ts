/**
 * A whole bot process for the crash test (RELIABILITY D9), run with ts-node by chaos.test.ts:
 * a real CloudAdapter (no app id, local only) behind express on 127.0.0.1:0, the HandoffMiddleware
 * on a RedisStorage, 8x8's webhook at /api/8x8/webhook and the channel at /api/messages. It prints
 * `ready <port>` once it listens. The test kills it with SIGKILL mid-burst and starts another.
 *
 * Environment: REDIS_PORT, EMULATOR_URL, CHANNEL_ID, RELAY_LEASE_MS.
 */
import { Redis } from 'ioredis';
import { RedisStorage } from '../../src/storage';
import { echoBotProcess, requiredEnv, runBotProcess } from '../support/echo-bot-process';

runBotProcess('chaos-bot', async () => {
  const env = (name: string) => requiredEnv('chaos-bot', name);
  const { app } = echoBotProcess('chaos-bot', {
    storage: new RedisStorage({ client: new Redis({ host: '127.0.0.1', port: Number(env('REDIS_PORT')) }) }),
    relayLeaseMs: Number(env('RELAY_LEASE_MS')),
    // The subject is crash recovery; paced, 60 messages per conversation would take 15 s more.
    pacing: false,
    onError: () => undefined,
  });
  return app;
});
