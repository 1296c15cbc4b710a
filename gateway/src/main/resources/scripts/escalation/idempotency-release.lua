-- Frees a key whose request failed before it made anything, so a retry may run; a finished key is never touched.
-- KEYS: 1 the key's hash. ARGV: 1 fingerprint of the failed request.
if redis.call('HGET', KEYS[1], 'state') == 'pending' and redis.call('HGET', KEYS[1], 'fp') == ARGV[1] then
  return {tostring(redis.call('DEL', KEYS[1]))}
end
return {'0'}
