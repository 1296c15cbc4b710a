-- Reads an escalation with its live position and estimated wait, in one round trip.
-- KEYS: 1 escalation hash, 2 stats hash (both {esc}: on Redis Cluster the call runs on the node that holds them; the
-- queue and agents of the record's skill, read by name from the record, are in the same slot). ARGV: 1 key prefix, 2
-- now ms, 3 active-agent window ms, 4 default handle time ms, 5.. fields to read, of which the first two must be
-- 'status' and 'skill'.
-- Answers {} when it does not exist, else {position, waitMs, fields...} with '' for absent fields and
-- position and waitMs -1 when it is not waiting.
local f = redis.call('HMGET', KEYS[1], unpack(ARGV, 5))
if not f[1] then
  return {}
end
local position, wait = -1, -1
if f[1] == 'queued' or f[1] == 'callback_scheduled' then
  local id = string.sub(KEYS[1], string.len(ARGV[1]) + 3)
  local rank = redis.call('ZRANK', ARGV[1] .. 'waiting:' .. f[2], id)
  if rank then
    local aht = tonumber(redis.call('HGET', KEYS[2], 'aht:' .. f[2]) or ARGV[4])
    local agents = redis.call('ZCOUNT', ARGV[1] .. 'agents:' .. f[2], tonumber(ARGV[2]) - tonumber(ARGV[3]), '+inf')
    position = rank + 1
    wait = math.floor(aht * position / math.max(1, agents))
  end
end
local out = {tostring(position), string.format('%.0f', wait)}
for i = 1, #f do
  out[i + 2] = f[i] or ''
end
return out
