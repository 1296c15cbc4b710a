-- Lists escalations held in one skill's hand-off stream (its consumer group's pending entries), a page at a time,
-- with what the reaper needs to decide: status, holder, reservation expiry, and when the holder was last seen.
-- KEYS: 1 the skill's hand-off stream, 2 the agents' last-seen sorted set (both {esc}: one Cluster slot; each held
-- escalation's record, prefix .. 'e:' .. id, is read by its id from the stream, in the same slot).
-- ARGV: 1 key prefix, 2 skill, 3 start (exclusive id or '-'), 4 page size
-- Answers {next start ('-' after the last page), then id, holder, status, reservationExpiresAt, lastSeen per entry}
local prefix = ARGV[1]
local stream = KEYS[1]
if redis.call('EXISTS', stream) == 0 then
  return {'-'}
end
local ok, pending = pcall(redis.call, 'XPENDING', stream, 'holders', ARGV[3], '+', ARGV[4])
if not ok then
  return {'-'}
end
local out = {'-'}
for _, p in ipairs(pending) do
  local entry = redis.call('XRANGE', stream, p[1], p[1])
  if entry[1] then
    local id = entry[1][2][2]
    local f = redis.call('HMGET', prefix .. 'e:' .. id, 'status', 'reservationExpiresAt')
    local seen = redis.call('ZSCORE', KEYS[2], p[2])
    table.insert(out, id)
    table.insert(out, p[2])
    table.insert(out, f[1] or '')
    table.insert(out, f[2] or '')
    table.insert(out, seen or '0')
  end
end
if #pending >= tonumber(ARGV[4]) then
  out[1] = '(' .. pending[#pending][1]
end
return out
