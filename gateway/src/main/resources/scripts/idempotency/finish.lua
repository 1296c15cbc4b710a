-- Stores a write's final answer under its Idempotency-Key, or lets the key go when the outcome is unknown (the
-- client retries with the same key; the back office decides). Only for the request that claimed it (same
-- fingerprint): a key another request holds is left alone.
-- KEYS: 1 the key's hash. ARGV: 1 fingerprint, 2 'done' or 'release', 3 status, 4 headers, 5 body, 6 TTL ms
-- Answers 1 when it changed the key, else 0.
local fp = redis.call('HGET', KEYS[1], 'fp')
if fp and fp ~= ARGV[1] then
  return 0
end
if ARGV[2] == 'release' then
  return redis.call('DEL', KEYS[1])
end
redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'state', 'done', 'status', ARGV[3], 'headers', ARGV[4], 'body', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1
