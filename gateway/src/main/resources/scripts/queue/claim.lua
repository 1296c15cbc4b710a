-- Offers an agent the best waiting escalation among their skills: the lowest score (the oldest, after the tier
-- boost) across those queues. It leaves its queue and becomes a reservation: recorded in the skill's hand-off
-- stream and read at once by the consumer group, so the group's pending list (XPENDING) names every escalation
-- held and by whom, which is what the reaper scans. Atomic, so two agents on any instances never get the same one.
-- KEYS: the waiting queue of each skill in ARGV 7.., then the hand-off stream of each, in the same order; every key
-- shares the {esc} hash tag, so on Redis Cluster the call goes to the one node that holds them all (the record of
-- the escalation picked, prefix .. 'e:' .. id, cannot be named before it is picked; it is in the same slot).
-- ARGV: 1 key prefix, 2 agent id, 3 agent name, 4 now ms, 5 reservation expiry ms, 6 change channel, 7.. skills
-- Answers {} when nothing waits, else {id, skill}.
local prefix = ARGV[1]
local skills = #ARGV - 6
-- A waiting id whose record is gone or no longer waiting (never expected: abandon, resolve and requeue change queue
-- and record together) is dropped and the next one tried, so an agent is never offered what nobody waits for.
for _ = 1, 16 do
  local bestId, bestSkill, bestScore
  local bestIndex
  for i = 1, skills do
    local top = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    if top[1] and (not bestScore or tonumber(top[2]) < bestScore) then
      bestId, bestSkill, bestScore, bestIndex = top[1], ARGV[6 + i], tonumber(top[2]), i
    end
  end
  if not bestId then
    return {}
  end
  redis.call('ZREM', KEYS[bestIndex], bestId)
  local key = prefix .. 'e:' .. bestId
  local state = redis.call('HMGET', key, 'status', 'waitingStatus')
  if state[1] and state[1] == state[2] then
    local stream = KEYS[skills + bestIndex]
    -- Creating the group each time costs one caught error and survives a Redis that lost its data.
    pcall(redis.call, 'XGROUP', 'CREATE', stream, 'holders', '0', 'MKSTREAM')
    local entry = redis.call('XADD', stream, '*', 'id', bestId)
    redis.call('XREADGROUP', 'GROUP', 'holders', ARGV[2], 'COUNT', '1', 'STREAMS', stream, '>')
    redis.call('HSET', key, 'status', 'offered', 'agentId', ARGV[2], 'agentName', ARGV[3], 'offeredAt', ARGV[4],
      'reservationExpiresAt', ARGV[5], 'holdEntry', entry)
    redis.call('HINCRBY', key, 'offers', 1)
    redis.call('PUBLISH', ARGV[6], bestId .. ' ' .. bestSkill .. ' offered')
    return {bestId, bestSkill}
  end
end
return {}
