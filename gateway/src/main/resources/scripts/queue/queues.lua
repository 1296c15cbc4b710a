-- Depth, oldest waiting since, held count and active agents of each skill queue, in one round trip.
-- The oldest waiting escalation has a score at most the best score plus the largest tier boost, so only that
-- band (bounded) is looked at.
-- KEYS: per skill in ARGV 6.., three: its waiting queue, its hand-off stream, its agents (all {esc}: one Cluster
-- slot, with the records of the waiting escalations read in the band).
-- ARGV: 1 key prefix, 2 now ms, 3 active-agent window ms, 4 largest tier boost ms, 5 band limit, 6.. skills
-- Answers, per skill: depth, oldest createdAt ('' when empty), held, active agents
local prefix = ARGV[1]
local out = {}
for i = 6, #ARGV do
  local k = (i - 6) * 3
  local waiting = KEYS[k + 1]
  local depth = redis.call('ZCARD', waiting)
  local oldest = ''
  local top = redis.call('ZRANGE', waiting, 0, 0, 'WITHSCORES')
  if top[1] then
    local band = redis.call('ZRANGEBYSCORE', waiting, '-inf', tonumber(top[2]) + tonumber(ARGV[4]), 'LIMIT', 0,
      ARGV[5])
    for _, id in ipairs(band) do
      local created = redis.call('HGET', prefix .. 'e:' .. id, 'createdAt')
      if created and (oldest == '' or tonumber(created) < tonumber(oldest)) then
        oldest = created
      end
    end
  end
  local held = redis.call('XLEN', KEYS[k + 2])
  local agents = redis.call('ZCOUNT', KEYS[k + 3], tonumber(ARGV[2]) - tonumber(ARGV[3]), '+inf')
  table.insert(out, tostring(depth))
  table.insert(out, oldest)
  table.insert(out, tostring(held))
  table.insert(out, tostring(agents))
end
return out
