-- Ends an escalation: resolved by its holding agent (once accepted), or abandoned by its owner at any point before
-- it is resolved (abandoning twice is harmless). Releases its queue place or hold, keeps the record for the
-- retention, and on resolve folds the handle time into the skill's average handle time (exponentially weighted).
-- KEYS: 1 escalation hash, 2 stats hash (both {esc}, so on Redis Cluster the call runs on the node that holds every
-- escalation key; the waiting queue and hand-off stream it releases, prefix .. 'waiting:' / 'held:' .. the record's
-- skill, cannot be named before the record is read, and are in the same slot). ARGV: 1 key prefix, 2 id, 3 mode
-- (resolve|abandon), 4 owner field (agentId or the owner's field), 5 owner value, 6 now ms, 7 change channel, 8
-- retention ms, 9 AHT weight, 10 disposition, 11 notes
-- Answers {'ok', status, skill, handleMs, status before, createdAt, opensAt ('' unless a callback)} ({'ok', 'abandoned',
-- skill, '-1'} when it was abandoned before), or {'missing'}, {'state', status}, {'not-holder'}.
local prefix, id, mode = ARGV[1], ARGV[2], ARGV[3]
local f = redis.call('HMGET', KEYS[1], 'status', 'skill', 'holdEntry', 'acceptedAt', ARGV[4], 'createdAt', 'opensAt')
if not f[1] then
  return {'missing'}
end
if f[5] ~= ARGV[5] then
  return {mode == 'resolve' and 'not-holder' or 'missing'}
end
local handle = -1
if mode == 'resolve' then
  if f[1] ~= 'assigned' then
    return {'state', f[1]}
  end
  handle = tonumber(ARGV[6]) - tonumber(f[4])
  local field = 'aht:' .. f[2]
  local old = redis.call('HGET', KEYS[2], field)
  local aht = handle
  if old then
    local w = tonumber(ARGV[9])
    aht = w * handle + (1 - w) * tonumber(old)
  end
  redis.call('HSET', KEYS[2], field, string.format('%.0f', aht))
  redis.call('HSET', KEYS[1], 'status', 'resolved', 'finishedAt', ARGV[6], 'disposition', ARGV[10], 'notes', ARGV[11])
else
  if f[1] == 'abandoned' then
    return {'ok', 'abandoned', f[2], '-1'}
  end
  if f[1] == 'resolved' then
    return {'state', f[1]}
  end
  redis.call('ZREM', prefix .. 'waiting:' .. f[2], id)
  redis.call('HSET', KEYS[1], 'status', 'abandoned', 'finishedAt', ARGV[6])
end
if f[3] then
  local stream = prefix .. 'held:' .. f[2]
  redis.call('XACK', stream, 'holders', f[3])
  redis.call('XDEL', stream, f[3])
end
redis.call('HDEL', KEYS[1], 'reservationExpiresAt', 'holdEntry')
redis.call('PEXPIRE', KEYS[1], ARGV[8])
local status = redis.call('HGET', KEYS[1], 'status')
redis.call('PUBLISH', ARGV[7], id .. ' ' .. f[2] .. ' ' .. status)
return {'ok', status, f[2], string.format('%.0f', handle), f[1], f[6] or '', f[7] or ''}
