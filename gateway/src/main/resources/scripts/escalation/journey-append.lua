-- Appends a customer's newest journey entries (oldest first, so the newest ends up at the head), keeps the last N
-- and renews the TTL: one round trip per customer per flush.
-- KEYS: 1 the customer's journey list. ARGV: 1 entries kept, 2 ttl ms, 3.. entries
redis.call('LPUSH', KEYS[1], unpack(ARGV, 3))
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[1]) - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {'1'}
