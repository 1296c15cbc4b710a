-- Starts a request under an Idempotency-Key, or says how an earlier one with the same key went.
-- KEYS: 1 the key's hash. ARGV: 1 fingerprint of the request, 2 how long an unfinished marker lives (ms).
-- Answers {'new'}, {'mismatch'} (same key, other request), {'pending'} (first one still running) or
-- {'done', id, status, position, waitMs}: the first answer, to be sent again.
local f = redis.call('HMGET', KEYS[1], 'fp', 'state', 'id', 'status', 'position', 'waitMs')
if not f[1] then
  redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'state', 'pending')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'new'}
end
if f[1] ~= ARGV[1] then
  return {'mismatch'}
end
if f[2] ~= 'done' then
  return {'pending'}
end
return {'done', f[3], f[4], f[5], f[6]}
