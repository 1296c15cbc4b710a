-- Adds what an agent did for the customer (a return, a cancellation, an address change on their behalf) to the
-- escalation's record, so the next agent to hold it sees it. Kept as a JSON array in the record's 'actions' field,
-- the newest ARGV[2] entries.
-- KEYS: 1 escalation hash. ARGV: 1 entry (a JSON object), 2 most entries kept
-- Answers {'ok'} or {'missing'}.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'missing'}
end
local stored = redis.call('HGET', KEYS[1], 'actions')
local actions = stored and cjson.decode(stored) or {}
table.insert(actions, cjson.decode(ARGV[1]))
while #actions > tonumber(ARGV[2]) do
  table.remove(actions, 1)
end
redis.call('HSET', KEYS[1], 'actions', cjson.encode(actions))
return {'ok'}
