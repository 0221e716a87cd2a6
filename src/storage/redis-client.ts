/**
 * The one Redis capability this package needs: running a Lua script. Every command goes through
 * a script so each operation is atomic on the server, and so the package does not depend on a
 * particular Redis library at runtime.
 */
import { ConfigurationError } from '../errors';

/**
 * A Redis client that can run `EVAL`, typed structurally. An `ioredis` `Redis` or `Cluster`
 * instance fits as is. Other clients need a one-line adapter; for node-redis 4:
 *
 * ```ts
 * const client: RedisEvalClient = {
 *   eval: (script, numKeys, ...rest) =>
 *     redis.eval(script, { keys: rest.slice(0, numKeys).map(String), arguments: rest.slice(numKeys).map(String) }),
 * };
 * ```
 *
 * Replies must map as ioredis maps them: Lua strings to strings, integers to numbers, `false`
 * to `null`, tables to arrays.
 */
export interface RedisEvalClient {
  /** `EVAL script numKeys key... arg...` */
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}

/** Rejects a missing client or one without `eval`, naming the option. */
export function checkEvalClient(client: unknown): RedisEvalClient {
  if (typeof client !== 'object' || client === null || typeof (client as { eval?: unknown }).eval !== 'function') {
    throw new ConfigurationError(
      'client',
      `must be a Redis client with an eval method, got ${client === null ? 'null' : typeof client}`,
      'Pass an ioredis instance, e.g. client: new Redis(process.env.REDIS_URL).',
    );
  }
  return client as RedisEvalClient;
}

/** Rejects a key prefix that is not a string. */
export function checkKeyPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string') {
    throw new ConfigurationError('keyPrefix', `must be a string, got ${typeof prefix}`, 'Pass a string such as "mybot:" or leave it out for the default.');
  }
  return prefix;
}

/** Rounds a duration up to Redis's whole milliseconds; `PX` refuses 0 and fractions. */
export function toRedisMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
