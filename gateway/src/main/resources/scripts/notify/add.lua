-- Appends events to the notification stream, trimmed (approximately) to the configured length.
-- KEYS: 1 the stream. ARGV: 1 max length, 2.. one event JSON each. Answers {entry id, ...} in the events' order.
local ids = {}
for i = 2, #ARGV do
  ids[#ids + 1] = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event', ARGV[i])
end
return ids
