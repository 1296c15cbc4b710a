-- Adds one instance's requests of the current window to the global count and reads the previous window's total.
-- KEYS[1] current window counter, KEYS[2] previous window counter (same {hash tag}, so one Cluster slot)
-- ARGV[1] requests this instance admitted since its last sync (0 only reads), ARGV[2] counter lifetime in ms
-- Returns { current window total, previous window total }.
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
if total == tonumber(ARGV[1]) then
  -- created by this call: a window counter lives two periods, long enough to be the next window's "previous"
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
local previous = redis.call('GET', KEYS[2])
return { total, tonumber(previous or '0') }
