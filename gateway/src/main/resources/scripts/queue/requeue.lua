-- Puts a held escalation back in a waiting queue at its original score, so it keeps its place: on decline, on
-- transfer (to another skill's queue, with a note), when its reservation expired, or when its holder is gone.
-- Every condition is checked again here, so a reaper acting on an old reading never undoes a newer change.
-- KEYS: 1 escalation hash ({esc}: on Redis Cluster the call runs on the node that holds every escalation key; the
-- queues, hand-off stream and agents it touches, prefix .. 'waiting:' / 'held:' .. a skill read from the record and
-- prefix .. 'agents', are in the same slot). ARGV: 1 key prefix, 2 id, 3 mode (decline|transfer|expire|reclaim), 4
-- agent id (the holder the caller saw), 5 now ms, 6 change channel, 7 target skill ('' to stay), 8 note, 9 presence
-- deadline ms (reclaim: the holder must not have been seen since)
-- Answers {'ok', status, skill}, or {'missing'}, {'state', status}, {'not-holder'}, {'skip'}.
local prefix, id, mode, agent = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local f = redis.call('HMGET', KEYS[1], 'status', 'agentId', 'reservationExpiresAt', 'skill', 'holdEntry', 'score',
  'waitingStatus')
if not f[1] then
  return {'missing'}
end
if f[1] ~= 'offered' and f[1] ~= 'assigned' then
  return {((mode == 'expire' or mode == 'reclaim') and 'skip' or 'state'), f[1]}
end
if f[2] ~= agent then
  return {(mode == 'expire' or mode == 'reclaim') and 'skip' or 'not-holder'}
end
if mode == 'decline' and f[1] ~= 'offered' then
  return {'state', f[1]}
elseif mode == 'expire' and (f[1] ~= 'offered' or tonumber(f[3]) > tonumber(ARGV[5])) then
  return {'skip'}
elseif mode == 'reclaim' then
  local seen = redis.call('ZSCORE', prefix .. 'agents', agent)
  if seen and tonumber(seen) >= tonumber(ARGV[9]) then
    return {'skip'}
  end
end
local skill = f[4]
if ARGV[7] ~= '' then
  skill = ARGV[7]
end
if f[5] then
  local stream = prefix .. 'held:' .. f[4]
  redis.call('XACK', stream, 'holders', f[5])
  redis.call('XDEL', stream, f[5])
end
redis.call('ZADD', prefix .. 'waiting:' .. skill, f[6], id)
redis.call('HDEL', KEYS[1], 'agentId', 'agentName', 'offeredAt', 'reservationExpiresAt', 'holdEntry', 'acceptedAt')
redis.call('HSET', KEYS[1], 'status', f[7], 'skill', skill)
if mode == 'transfer' then
  redis.call('HSET', KEYS[1], 'transferNote', ARGV[8], 'transferredFrom', f[4])
  redis.call('HINCRBY', KEYS[1], 'transfers', 1)
end
redis.call('PUBLISH', ARGV[6], id .. ' ' .. skill .. ' ' .. f[7])
return {'ok', f[7], skill}
