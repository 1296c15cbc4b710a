-- The holding agent accepts an offered reservation before it expires; accepting twice is harmless.
-- KEYS: 1 escalation hash. ARGV: 1 id, 2 agent id, 3 now ms, 4 change channel
-- Answers {'ok', createdAt, predictedWaitMs, accepted now (1/0), skill, opensAt ('' unless a callback)}, or
-- {'missing'}, {'state', status}, {'not-holder'}, {'expired'}.
local f = redis.call('HMGET', KEYS[1], 'status', 'agentId', 'reservationExpiresAt', 'skill', 'createdAt',
  'predictedWaitMs', 'opensAt')
if not f[1] then
  return {'missing'}
end
if f[1] ~= 'offered' and f[1] ~= 'assigned' then
  return {'state', f[1]}
end
if f[2] ~= ARGV[2] then
  return {'not-holder'}
end
if f[1] == 'assigned' then
  return {'ok', f[5], f[6] or '-1', '0', f[4], f[7] or ''}
end
if tonumber(f[3]) <= tonumber(ARGV[3]) then
  return {'expired'}
end
redis.call('HSET', KEYS[1], 'status', 'assigned', 'acceptedAt', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. f[4] .. ' assigned')
return {'ok', f[5], f[6] or '-1', '1', f[4], f[7] or ''}
