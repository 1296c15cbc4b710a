-- A place in the waiting room for one customer, in one atomic step.
-- KEYS[1] the queue's state (hash: epoch, issued, admitted, last:<class>), KEYS[2] the customer's place
-- ARGV[1] the request's class (0 = highest ... 4), ARGV[2] now (ms), ARGV[3] ticket lifetime (ms),
-- ARGV[4] lifetime of the state (ms)
-- A customer still waiting keeps the place they have (one place per customer, however often they come back without
-- their ticket); otherwise the next number of the global sequence.
-- Answers {fresh, seq, issuedAt, expiresAt, epoch, issued, admitted, last:0 .. last:4}.
local now = tonumber(ARGV[2])
redis.call('HSETNX', KEYS[1], 'epoch', ARGV[2])
local s = redis.call('HMGET', KEYS[1], 'epoch', 'issued', 'admitted', 'last:0', 'last:1', 'last:2', 'last:3', 'last:4')
local epoch = s[1]
local issued = tonumber(s[2] or '0')
local admitted = tonumber(s[3] or '0')

local place = redis.call('GET', KEYS[2])
if place then
  local seq, issuedAt, expiresAt, placeEpoch = string.match(place, '^(%d+):(%d+):(%d+):(%d+)$')
  if seq and placeEpoch == epoch and tonumber(seq) > admitted and tonumber(expiresAt) > now then
    local answer = {'0', seq, issuedAt, expiresAt, epoch, tostring(issued), tostring(admitted)}
    for c = 4, 8 do answer[#answer + 1] = s[c] or '0' end
    return answer
  end
end

local seq = redis.call('HINCRBY', KEYS[1], 'issued', 1)
redis.call('HSET', KEYS[1], 'last:' .. ARGV[1], seq)
s[4 + tonumber(ARGV[1])] = tostring(seq)
local expiresAt = now + tonumber(ARGV[3])
-- The place lives as long as the ticket could wait.
redis.call('SET', KEYS[2], seq .. ':' .. ARGV[2] .. ':' .. expiresAt .. ':' .. epoch, 'PX', ARGV[3])
-- The state outlives every ticket of its epoch; when it lapses no ticket is left that it could decide.
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local answer = {'1', tostring(seq), ARGV[2], tostring(expiresAt), epoch, tostring(seq), tostring(admitted)}
for c = 4, 8 do answer[#answer + 1] = s[c] or '0' end
return answer
