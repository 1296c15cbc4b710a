-- Appends the newest journey entries of several customers that share one {shard} hash tag (so one Cluster slot):
-- for each, push (oldest first, so the newest ends up at the head), keep the last N, renew the TTL. One round trip
-- carries up to a batch of customers instead of one each.
-- KEYS: the customers' journey lists. ARGV: 1 entries kept, 2 ttl ms, then for each key in order: its entry count
-- n followed by its n entries.
-- Returns { number of lists written }.
local keep = tonumber(ARGV[1]) - 1
local at = 3
for i = 1, #KEYS do
  local n = tonumber(ARGV[at])
  redis.call('LPUSH', KEYS[i], unpack(ARGV, at + 1, at + n))
  redis.call('LTRIM', KEYS[i], 0, keep)
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
  at = at + n + 1
end
return {#KEYS}
