-- wrk script: self-service actions (returns and cancellations) with each customer's own token, rotating over the
-- lines of the file ActionSetup made ("<token> POST <path> <body or ->" per line; the path of the file comes from
-- the SURGE_ACTIONS environment variable). Every request carries an Idempotency-Key of its own
-- ("<SURGE_RUN>-<thread>-<n>"), so each is a new write; run tags must differ between runs on one gateway.
-- The first action on a line is made; later ones on the same order are refused by the back office's rules (409
-- order-cancelled, 422 nothing-left): answers, counted apart, not errors. Statuses are counted per thread and summed
-- in done(): 2xx, 409, 422, 429, 503, 502/504 (the outcome unknown: an error that may have made the write), other.
--
-- The last second drains: from SURGE_DRAIN_AT (epoch seconds) on, each connection sends a return with an invalid
-- body instead, which the gateway answers 400 before any Idempotency-Key record or back-office call. So when wrk
-- stops (closing connections with requests in flight), no write is in flight, and every write sent has its answer
-- counted: the back office's applied writes can be compared with the 2xx answers exactly. Drain answers are counted
-- apart (they are in wrk's latency figures: the cheapest kind, for 1 to 2 s, since os.time() counts whole seconds;
-- up to one request in eight of a 30 s run). 429 and 503 answers
-- (rate limit, shedding) are counted as such, drain or not: neither reaches the back office.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local lines = {}
local index = 0
local counter = 0
local tag = ""

-- Per thread, read back by done() through thread:get().
made, conflict, unprocessable, limited, shed, unknown, other, drained, writes_sent = 0, 0, 0, 0, 0, 0, 0, 0, 0
local drain_at = tonumber(os.getenv("SURGE_DRAIN_AT") or "0")
local draining = false

function init(args)
  local path = os.getenv("SURGE_ACTIONS")
  for line in io.lines(path) do
    local token, method, target, body = line:match("^(%S+)%s+(%S+)%s+(%S+)%s+(%S+)$")
    if token then
      lines[#lines + 1] = { token = "Bearer " .. token, method = method, path = target,
                            body = body ~= "-" and body or nil }
    end
  end
  if #lines == 0 then
    error("no actions in " .. tostring(path))
  end
  tag = (os.getenv("SURGE_RUN") or tostring(os.time())) .. "-" .. tostring(id) .. "-"
  -- Each thread starts somewhere else in the list, so threads do not act for the same customer at once.
  math.randomseed(os.time() + id * 7919)
  index = math.random(#lines)
end

-- A new key per request, so the request is formatted here rather than once in init().
function request()
  index = index % #lines + 1
  local line = lines[index]
  if drain_at > 0 and (draining or os.time() >= drain_at) then
    draining = true
    return wrk.format("POST", (line.path:gsub("/cancellation$", "/returns")),
      { ["Authorization"] = line.token, ["Content-Type"] = "application/json" }, '{"lines":[]}')
  end
  counter = counter + 1
  writes_sent = counter
  local headers = { ["Authorization"] = line.token, ["Idempotency-Key"] = tag .. counter,
                    ["Surge-Channel"] = "mobile" }
  if line.body then
    headers["Content-Type"] = "application/json"
  end
  return wrk.format(line.method, line.path, headers, line.body)
end

function response(status, headers, body)
  if draining and status == 400 then
    drained = drained + 1
  elseif status >= 200 and status < 300 then
    made = made + 1
  elseif status == 409 then
    conflict = conflict + 1
  elseif status == 422 then
    unprocessable = unprocessable + 1
  elseif status == 429 then
    limited = limited + 1
  elseif status == 503 then
    shed = shed + 1
  elseif status == 502 or status == 504 then
    unknown = unknown + 1 -- the write may or may not have been made (backoffice-outcome-unknown, or not made)
  else
    other = other + 1
  end
end

-- One machine-readable line for actions-bench.sh: latency in milliseconds over every answer; actions are the
-- answers the back office decided (2xx made, 409/422 refused); errors are other statuses plus socket errors.
function done(summary, latency, requests)
  local t = { made = 0, conflict = 0, unprocessable = 0, limited = 0, shed = 0, unknown = 0, other = 0, drained = 0,
              writes_sent = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(t) do
      t[name] = t[name] + (thread:get(name) or 0)
    end
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local actions = t.made + t.conflict + t.unprocessable
  io.write(string.format("SURGE_RESULT requests=%d seconds=%.2f rps=%.0f actions=%d made=%d refused_409=%d "
      .. "refused_422=%d limited_429=%d shed_503=%d unknown_502_504=%d errors=%d drained=%d writes_sent=%d "
      .. "p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, seconds, summary.requests / seconds, actions, t.made, t.conflict, t.unprocessable, t.limited,
    t.shed, t.unknown, t.unknown + t.other + e.connect + e.read + e.write + e.timeout, t.drained, t.writes_sent,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
