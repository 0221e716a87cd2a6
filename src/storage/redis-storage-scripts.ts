/**
 * The Lua scripts of {@link RedisStorage}. An item is a Redis hash with two fields: `e` (the
 * eTag) and `v` (the item as JSON, without its eTag). Each script touches one key, so they also
 * run on Redis Cluster.
 */

/** Reply: `[eTag, json]`, or `[null, null]` when the key is absent. */
export const READ_SCRIPT = `return redis.call('HMGET', KEYS[1], 'e', 'v')`;

/**
 * Check-and-set. ARGV: expected eTag ('' = write unconditionally), new eTag, JSON, ttl ms
 * ('0' = no expiry). Reply: 1 written, 0 refused. As in botbuilder's MemoryStorage, an expected
 * eTag only has to match when an item exists: writing to an absent key always succeeds.
 */
export const WRITE_SCRIPT = `
local expected = ARGV[1]
if expected ~= '' then
  local current = redis.call('HGET', KEYS[1], 'e')
  if current and current ~= expected then return 0 end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'e', ARGV[2], 'v', ARGV[3])
local ttl = tonumber(ARGV[4])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

/**
 * Create-only write (HTTP's \`If-None-Match: *\`). ARGV: new eTag, JSON, ttl ms ('0' = no expiry).
 * Reply: 1 created, 0 the key already existed (nothing written).
 */
export const CREATE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'e', ARGV[1], 'v', ARGV[2])
local ttl = tonumber(ARGV[3])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

/** Deletes the item. Reply: number of keys removed. */
export const DELETE_SCRIPT = `return redis.call('DEL', KEYS[1])`;
