-- Finds (or starts) each customer's current session: a customer's activity with no pause longer than the gap is one
-- session, named by the customer and its first minute. A batch may arrive late or out of order from other
-- instances: activity within the gap of the last one known joins its session, and the last activity only moves on.
-- KEYS: the customers' session keys (one shard's hash tag: one Cluster slot).
-- ARGV: 1 gap ms, 2 key ttl ms, then for each key the first and last activity (ms) of the batch.
-- Answers each session's first minute (epoch minutes), in the order of KEYS.
local gap, ttl = tonumber(ARGV[1]), ARGV[2]
local out = {}
for k = 1, #KEYS do
  local first, last = tonumber(ARGV[1 + 2 * k]), tonumber(ARGV[2 + 2 * k])
  local start, seen
  local stored = redis.call('GET', KEYS[k])
  if stored then
    local s, l = string.match(stored, '^(%d+) (%d+)$')
    start, seen = tonumber(s), tonumber(l)
  end
  if not start or first - seen > gap then
    start = math.floor(first / 60000)
    seen = last
  else
    seen = math.max(seen, last)
  end
  redis.call('SET', KEYS[k], string.format('%.0f %.0f', start, seen), 'PX', ttl)
  out[k] = string.format('%.0f', start)
end
return out
