-- Adds one instance's requests to the global window counters and reads the previous windows' totals, for a batch
-- of counters that share one {shard} hash tag (so one Cluster slot).
-- For item i: KEYS[2i-1] current window counter, KEYS[2i] previous window counter;
--             ARGV[2i-1] requests this instance admitted since its last sync (0 only reads),
--             ARGV[2i] counter lifetime in ms.
-- Returns { current total 1, previous total 1, current total 2, previous total 2, ... }.
local answer = {}
for i = 1, #KEYS / 2 do
  local delta = ARGV[2 * i - 1]
  local total = redis.call('INCRBY', KEYS[2 * i - 1], delta)
  if total == tonumber(delta) then
    -- created by this call: a window counter lives two periods, long enough to be the next window's "previous"
    redis.call('PEXPIRE', KEYS[2 * i - 1], ARGV[2 * i])
  end
  answer[2 * i - 1] = total
  answer[2 * i] = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
end
return answer
