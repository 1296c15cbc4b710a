-- Adds a flush's worth of contact events to one bucket (a minute or an hour): counters with HINCRBY, customers and
-- sessions into HyperLogLogs with PFADD, and every key touched expires after the TTL. One call per bucket and flush.
-- KEYS: 1 the bucket's counts hash, 2.. its HyperLogLogs (all with the bucket's hash tag: one Cluster slot).
-- ARGV: 1 ttl ms, 2 number of counters n, then n field, increment pairs, then for each HyperLogLog (KEYS 2..) the
-- number of members m and the m members.
-- Answers {'1'}.
local ttl = ARGV[1]
local n = tonumber(ARGV[2])
local i = 3
for _ = 1, n do
  redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end
if n > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
for k = 2, #KEYS do
  local m = tonumber(ARGV[i])
  i = i + 1
  if m > 0 then
    -- In slices: unpack is bounded by Lua's stack (a few thousand values).
    local stop = i + m - 1
    while i <= stop do
      local last = math.min(i + 499, stop)
      redis.call('PFADD', KEYS[k], unpack(ARGV, i, last))
      i = last + 1
    end
    redis.call('PEXPIRE', KEYS[k], ttl)
  end
end
return {'1'}
