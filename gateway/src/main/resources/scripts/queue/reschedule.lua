-- Moves a waiting callback's window: the customer (or the phone system that made it) gives a new contact, and the
-- escalation keeps its place in the queue; it is offered to agents from the new window's start. Only while it waits:
-- one an agent holds, or that is finished, stays as it is.
-- KEYS: 1 escalation hash. ARGV: 1 id, 2 owner field, 3 owner value, 4 contact JSON, 5 opens at ms, 6 change channel
-- Answers {'ok'}, {'missing'} (none, or not the owner's) or {'state', status}.
local f = redis.call('HMGET', KEYS[1], 'status', ARGV[2], 'skill')
if not f[1] or f[2] ~= ARGV[3] then
  return {'missing'}
end
if f[1] ~= 'callback_scheduled' then
  return {'state', f[1]}
end
redis.call('HSET', KEYS[1], 'contact', ARGV[4], 'opensAt', ARGV[5])
redis.call('HINCRBY', KEYS[1], 'reschedules', 1)
redis.call('PUBLISH', ARGV[6], ARGV[1] .. ' ' .. f[3] .. ' callback_scheduled')
return {'ok'}
