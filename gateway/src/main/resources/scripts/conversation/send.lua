-- Appends one message to an escalation's conversation, if the sender may write now: the customer (or the phone system
-- that made it) while it is open, the agent only while they hold it accepted. Checked here, in the same atomic step
-- as the append, so a message never lands after a transfer or a resolve it raced with.
-- KEYS: 1 conversation stream, 2 escalation hash, 3 the sender's rate counter (all carry {esc}: one slot)
-- ARGV: 1 role (customer|agent), 2 owner field (customerId|createdBy|agentId), 3 owner value, 4 text, 5 now ms,
-- 6 most entries kept (approximate trim), 7 retention ms, 8 messages allowed per window, 9 window ms,
-- 10 channel, 11 escalation id
-- Answers {'ok', entry id}, {'missing'}, {'not-holder'}, {'finished'} or {'rate', ms until the window ends}.
local f = redis.call('HMGET', KEYS[2], 'status', ARGV[2], 'agentName')
if not f[1] then
  return {'missing'}
end
if f[2] ~= ARGV[3] then
  return {ARGV[1] == 'agent' and 'not-holder' or 'missing'}
end
if f[1] == 'resolved' or f[1] == 'abandoned' then
  return {'finished'}
end
if ARGV[1] == 'agent' and f[1] ~= 'assigned' then
  return {'not-holder'}
end
local count = redis.call('INCR', KEYS[3])
if count == 1 then
  redis.call('PEXPIRE', KEYS[3], ARGV[9])
end
if count > tonumber(ARGV[8]) then
  return {'rate', redis.call('PTTL', KEYS[3])}
end
local name = ''
if ARGV[1] == 'agent' then
  name = f[3] or ''
end
local entry = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[6], '*', 'from', ARGV[1], 'name', name,
  'text', ARGV[4], 'at', ARGV[5])
-- The conversation lives as long as the escalation's record once finished: retention after its last entry, and the
-- last entry is the resolve (or abandon) the system appends.
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PUBLISH', ARGV[10], ARGV[11])
return {'ok', entry}
