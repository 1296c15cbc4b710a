-- Takes notifications for webhook delivery: first those another consumer took but has not acknowledged for the
-- redelivery time (it died, or its retries ran out), then new ones. The group is created on first use, at the
-- start of the stream: events written before the first poll (or since Redis lost the group) are delivered too.
-- KEYS: 1 the notification stream. ARGV: 1 group, 2 consumer, 3 count, 4 redeliver after ms
-- Answers {entry id, event json, ...}
pcall(redis.call, 'XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
local out = {}
local function take(entries)
  for _, e in ipairs(entries) do
    if type(e) == 'table' and type(e[2]) == 'table' then
      table.insert(out, e[1])
      table.insert(out, e[2][2])
    end
  end
end
local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[4], '0-0', 'COUNT', ARGV[3])
take(claimed[2])
local fresh = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
if fresh and fresh[1] then
  take(fresh[1][2])
end
return out
