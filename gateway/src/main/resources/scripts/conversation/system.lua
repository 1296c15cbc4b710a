-- Tells the conversation what happened to its escalation (an agent joined, it was transferred or went back to the
-- queue, it was resolved or abandoned), once: every instance hears every change and runs this, and the last state
-- told (KEYS[3]) makes the second run a no-op. It reads the record, not the change message, so instances that hear
-- changes late or out of order still tell each state once and in order.
-- KEYS: 1 conversation stream, 2 escalation hash, 3 last state told (all carry {esc})
-- ARGV: 1 now ms, 2 most entries kept, 3 retention ms, 4 channel, 5 escalation id
-- Answers {'ok', entry id, event}, {'same'}, {'quiet'} or {'missing'}.
local f = redis.call('HMGET', KEYS[2], 'status', 'agentId', 'agentName', 'transfers')
if not f[1] then
  return {'missing'}
end
local status, transfers = f[1], f[4] or '0'
local state
if status == 'assigned' then
  state = 'assigned|' .. (f[2] or '') .. '|' .. transfers
elseif status == 'resolved' or status == 'abandoned' then
  state = status
else
  state = 'waiting|' .. transfers
end
local last = redis.call('GET', KEYS[3])
if last == state then
  return {'same'}
end
local event, name = status, ''
if status == 'assigned' then
  event, name = 'joined', f[3] or ''
elseif status ~= 'resolved' and status ~= 'abandoned' then
  if not last or string.sub(last, 1, 9) ~= 'assigned|' then
    -- Waiting or offered, and no agent was told since: nothing to tell, nothing written (most changes are these).
    return {'quiet'}
  end
  local before = tonumber(string.match(last, '|(%d+)$')) or 0
  event = tonumber(transfers) > before and 'transferred' or 'requeued'
end
redis.call('SET', KEYS[3], state, 'PX', ARGV[3])
local entry = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'from', 'system', 'event', event,
  'name', name, 'at', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return {'ok', entry, event}
