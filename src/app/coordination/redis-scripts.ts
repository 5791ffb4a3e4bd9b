/** The Lua scripts of the Redis coordinator: each reads and writes atomically on the server. */

/**
 * KEYS[1] lock, KEYS[2] fencing counter; ARGV[1] owner token, ARGV[2] ttl ms. Takes a free lock and returns the next
 * fencing token, or nil when the lock is held. The token is the counter plus one, and never less than Redis's clock in
 * microseconds, so it still grows after a Redis restart that lost the counter (no persistence).
 */
export const ACQUIRE_LOCK = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local t = redis.call('TIME')
  local floor = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local n = tonumber(redis.call('GET', KEYS[2]) or '0') + 1
  if n < floor then n = floor end
  local s = string.format('%.0f', n)
  redis.call('SET', KEYS[2], s)
  return s
end
return false`;

/** KEYS[1]; ARGV[1] owner, ARGV[2] ttl ms: extends the key's life when its owner asks; 1, else 0. */
export const EXTEND_OWNED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** KEYS[1]; ARGV[1] owner: deletes the key when its owner asks; 1, else 0. */
export const DELETE_OWNED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** KEYS[1] lease; ARGV[1] candidate, ARGV[2] ttl ms: takes a free lease or extends the candidate's own; 1, else 0. */
export const TAKE_OR_EXTEND_LEASE = `
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;
