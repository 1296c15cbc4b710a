-- One instance's look at the waiting room, and its share of moving the admitted pointer on, in one atomic step.
-- KEYS[1] the queue's state (hash: epoch, issued, admitted, last:<class>), KEYS[2] recent advances (sorted set,
-- member "before:after", score = time in ms)
-- ARGV[1] now (ms), ARGV[2..6] places this instance can take in now, per class 0..4 (its free room under that class's
-- share of its limit), ARGV[7] how long advances are kept (ms), ARGV[8] '1' to answer them too
-- The pointer moves on by the free room of the highest class that has customers waiting, never past the last ticket
-- issued. Places never used after admission do not hold the line: the room they leave stays free and the next tick
-- moves on again.
-- Answers {advanced, epoch, issued, admitted, last:0 .. last:4, [before, after, time]...}.
local now = tonumber(ARGV[1])
local s = redis.call('HMGET', KEYS[1], 'epoch', 'issued', 'admitted', 'last:0', 'last:1', 'last:2', 'last:3', 'last:4')
local issued = tonumber(s[2] or '0')
local admitted = tonumber(s[3] or '0')
local advanced = 0
for c = 0, 4 do
  if tonumber(s[4 + c] or '0') > admitted then
    local after = math.min(issued, admitted + tonumber(ARGV[2 + c]))
    if after > admitted then
      redis.call('HSET', KEYS[1], 'admitted', after)
      redis.call('ZADD', KEYS[2], now, admitted .. ':' .. after)
      redis.call('PEXPIRE', KEYS[2], ARGV[7])
      advanced = after - admitted
      admitted = after
    end
    break
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[7]))

local answer = {tostring(advanced), s[1] or '0', tostring(issued), tostring(admitted)}
for c = 4, 8 do answer[#answer + 1] = s[c] or '0' end
if ARGV[8] == '1' then
  local kept = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
  for i = 1, #kept, 2 do
    local before, after = string.match(kept[i], '^(%d+):(%d+)$')
    if before then
      answer[#answer + 1] = before
      answer[#answer + 1] = after
      answer[#answer + 1] = kept[i + 1]
    end
  end
end
return answer
