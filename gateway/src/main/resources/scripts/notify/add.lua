-- Appends an event to the notification stream, trimmed (approximately) to the configured length.
-- KEYS: 1 the stream. ARGV: 1 max length, 2 event JSON. Answers {entry id}
return {redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event', ARGV[2])}
