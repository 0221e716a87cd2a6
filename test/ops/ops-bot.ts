/**
 * One bot process for the multi-process test (issue 13, RELIABILITY M1), run with ts-node by
 * multi-process.test.ts: a real CloudAdapter (no app id, local only) behind express on
 * 127.0.0.1:0, the HandoffMiddleware on a RedisStorage with a RedisDedupeStore (state shared with
 * the other process through one redis-server), 8x8's webhook at /api/8x8/webhook and the channel
 * at /api/messages. It prints `ready <port>` once it listens; the test SIGKILLs and restarts it.
 *
 * Environment: REDIS_PORT, EMULATOR_URL, CHANNEL_ID, INSTANCE_ID, RELAY_LEASE_MS, and
 * CLOCK_SKEW_MS (this process's clock runs that far ahead, or behind when negative).
 */
import { Redis } from 'ioredis';
import { RedisDedupeStore, RedisStorage } from '../../src/storage';
import { echoBotProcess, requiredEnv, runBotProcess } from '../support/echo-bot-process';

runBotProcess('ops-bot', async () => {
  const env = (name: string) => requiredEnv('ops-bot', name);
  const skewMs = Number(process.env.CLOCK_SKEW_MS ?? '0');
  const redis = new Redis({ host: '127.0.0.1', port: Number(env('REDIS_PORT')) });
  const { app } = echoBotProcess('ops-bot', {
    storage: new RedisStorage({ client: redis }),
    instanceId: env('INSTANCE_ID'),
    relayLeaseMs: Number(env('RELAY_LEASE_MS')),
    clock: () => Date.now() + skewMs,
    webhook: { dedupe: new RedisDedupeStore({ client: redis }) },
    onError: (error, info) => process.stderr.write(`ops-bot ${env('INSTANCE_ID')} ${info.where}: ${String(error)}\n`),
  });
  return app;
});
