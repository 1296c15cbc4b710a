-- Notes that an agent is present, in the set of all agents and in one set per skill (scored by last seen, so
-- counting active agents is one ZCOUNT), and forgets agents silent for longer than the retention.
-- KEYS: 1 all agents, 2.. one per skill. ARGV: 1 agent id, 2 now ms, 3 forget before (ms), 4 key ttl ms
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[2], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[3])
  redis.call('PEXPIRE', key, ARGV[4])
end
return {'1'}
