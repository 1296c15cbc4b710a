-- Claims an Idempotency-Key for a write, or says what became of it. A new key is marked "working" for a short time
-- (the write's own time bound): if this instance dies mid-write the mark expires, and a retry goes to the back
-- office with the same key, which honours it (docs/backoffice-api.md), so the write is still done at most once.
-- KEYS: 1 the key's hash. ARGV: 1 request fingerprint, 2 working mark TTL ms
-- Answers {'new'}, {'mismatch'}, {'busy'} or {'done', status, headers, body}.
local f = redis.call('HMGET', KEYS[1], 'fp', 'state', 'status', 'headers', 'body')
if not f[1] then
  redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'state', 'working')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'new'}
end
if f[1] ~= ARGV[1] then
  return {'mismatch'}
end
if f[2] == 'done' then
  return {'done', f[3], f[4], f[5]}
end
return {'busy'}
