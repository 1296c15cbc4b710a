-- Offers an agent the best waiting escalation among their skills: the lowest score (the oldest, after the tier
-- boost) across those queues. It leaves its queue and becomes a reservation: recorded in the skill's hand-off
-- stream and read at once by the consumer group, so the group's pending list (XPENDING) names every escalation
-- held and by whom, which is what the reaper scans. Atomic, so two agents on any instances never get the same one.
-- KEYS: the waiting queue of each skill in ARGV 7.., then the hand-off stream of each, in the same order; every key
-- shares the {esc} hash tag, so on Redis Cluster the call goes to the one node that holds them all (the record of
-- the escalation picked, prefix .. 'e:' .. id, cannot be named before it is picked; it is in the same slot).
-- ARGV: 1 key prefix, 2 agent id, 3 agent name, 4 now ms, 5 reservation expiry ms, 6 change channel, 7.. skills
-- A callback is offered only once its window opens (field opensAt, ms): until then it keeps its place and the agent
-- gets the best escalation behind it. Only the first LOOK of each queue are looked at, so a queue whose head is
-- all callbacks not open yet costs a bounded scan.
-- Answers {} when nothing waits, else {id, skill}.
local prefix = ARGV[1]
local skills = #ARGV - 6
local now = tonumber(ARGV[4])
local LOOK = 32

-- The best offerable escalation of queue i: the first of its head not a callback whose window is still closed.
local function head(i)
  local top = redis.call('ZRANGE', KEYS[i], 0, LOOK - 1, 'WITHSCORES')
  for j = 1, #top, 2 do
    local opens = redis.call('HGET', prefix .. 'e:' .. top[j], 'opensAt')
    if not opens or tonumber(opens) <= now then
      return top[j], tonumber(top[j + 1])
    end
  end
  return nil, nil
end
-- A waiting id whose record is gone or no longer waiting (never expected: abandon, resolve and requeue change queue
-- and record together) is dropped and the next one tried, so an agent is never offered what nobody waits for.
for _ = 1, 16 do
  local bestId, bestSkill, bestScore
  local bestIndex
  for i = 1, skills do
    local id, score = head(i)
    if id and (not bestScore or score < bestScore) then
      bestId, bestSkill, bestScore, bestIndex = id, ARGV[6 + i], score, i
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
