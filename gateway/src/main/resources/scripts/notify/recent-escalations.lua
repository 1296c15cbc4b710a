-- Records a customer's escalation and answers how many others they made within each window (newest rules first).
-- KEYS: 1 the customer's recent escalations (sorted set by time). ARGV: 1 escalation id, 2 now ms, 3 longest
-- window ms (older entries are dropped, and the key expires after it), 4.. windows ms
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (tonumber(ARGV[2]) - tonumber(ARGV[3])))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local out = {}
for i = 4, #ARGV do
  local count = redis.call('ZCOUNT', KEYS[1], tonumber(ARGV[2]) - tonumber(ARGV[i]), '+inf')
  table.insert(out, tostring(count - 1))
end
return out
