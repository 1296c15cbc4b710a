-- Stores a new escalation and puts it in its skill's waiting queue, exactly once: a record whose id already exists
-- is left as it is, so a replay from the spool or a retry after a timeout never duplicates it. The Idempotency-Key
-- is checked in the same step (one round trip per create): a key already done answers its first answer, a key used
-- for another request answers mismatch; else the key is marked done with this answer (position and estimated wait),
-- so a key can never point at nothing, nor an escalation exist whose key is not done. A replay from the spool skips
-- the check: its 202 was already given, so it is stored whatever the key says.
-- A new escalation also goes into the customer's history, and the record keeps the customer's earlier escalations
-- within the history window as they were at its creation (field 'earlier': "id:createdMs,..." newest first), for
-- the agent and the repeat-escalation notification rules.
-- KEYS: 1 escalation hash, 2 waiting zset of the skill, 3 agents zset of the skill, 4 stats hash, 5 idempotency hash,
--       6 the customer's history zset
-- ARGV: 1 id, 2 score, 3 now ms, 4 active-agent window ms, 5 default handle time ms, 6 idempotency ttl ms,
--       7 change channel, 8 skill, 9 fingerprint, 10 mode (new|replay), 11 history window ms, 12 history size,
--       13 created ms, 14.. field, value pairs of the record
-- Answers {'ok', created (1/0), status, position, waitMs, earlier} (position and waitMs -1 when it no longer waits),
-- {'done', id, status, position, waitMs} (the key's first answer) or {'mismatch'}.
local id = ARGV[1]
if ARGV[10] == 'new' then
  local k = redis.call('HMGET', KEYS[5], 'fp', 'state', 'id', 'status', 'position', 'waitMs')
  if k[1] and k[1] ~= ARGV[9] then
    return {'mismatch'}
  end
  if k[2] == 'done' then
    return {'done', k[3], k[4], k[5], k[6]}
  end
end
local created, earlier = 0, nil
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 14))
  redis.call('ZADD', KEYS[2], ARGV[2], id)
  created = 1
  local window, size, at = tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13])
  -- At or before this one's creation (a replay from the spool may come after later ones), newest first.
  local found = redis.call('ZREVRANGEBYSCORE', KEYS[6], at, at - window, 'WITHSCORES', 'LIMIT', 0, size)
  local parts = {}
  for i = 1, #found, 2 do
    parts[#parts + 1] = found[i] .. ':' .. found[i + 1]
  end
  earlier = table.concat(parts, ',')
  redis.call('HSET', KEYS[1], 'earlier', earlier)
  redis.call('ZADD', KEYS[6], at, id)
  local newest = math.max(at, tonumber(ARGV[3]))
  redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', '(' .. (newest - window))
  redis.call('ZREMRANGEBYRANK', KEYS[6], 0, -(size + 2))
  redis.call('PEXPIRE', KEYS[6], window)
end
local status = redis.call('HGET', KEYS[1], 'status')
local position, wait = -1, -1
local rank = redis.call('ZRANK', KEYS[2], id)
if rank then
  local aht = tonumber(redis.call('HGET', KEYS[4], 'aht:' .. ARGV[8]) or ARGV[5])
  local agents = redis.call('ZCOUNT', KEYS[3], tonumber(ARGV[3]) - tonumber(ARGV[4]), '+inf')
  position = rank + 1
  wait = math.floor(aht * position / math.max(1, agents))
end
if created == 1 then
  redis.call('HSET', KEYS[1], 'predictedWaitMs', string.format('%.0f', wait))
  redis.call('PUBLISH', ARGV[7], id .. ' ' .. ARGV[8] .. ' ' .. status)
end
if redis.call('HGET', KEYS[5], 'state') ~= 'done' then
  redis.call('HSET', KEYS[5], 'fp', ARGV[9], 'state', 'done', 'id', id, 'status', status,
    'position', tostring(position), 'waitMs', string.format('%.0f', wait))
  redis.call('PEXPIRE', KEYS[5], ARGV[6])
end
return {'ok', tostring(created), status, tostring(position), string.format('%.0f', wait),
  earlier or redis.call('HGET', KEYS[1], 'earlier') or ''}
