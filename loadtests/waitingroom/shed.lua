-- wrk script: GET /api/v1/me with each customer's own token (and ticket, when the line has one), rotating over the
-- lines of the file in SURGE_REQUESTS ("<token>" or "<token> <ticket>" per line). Counts the answers by kind: the
-- waiting room's 503 (with a ticket header), the plain 503, and anything else.

local requests = {}
local index = 0
-- Globals, not locals: done() reads them from each thread with thread:get.
room, plain, other = 0, 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("SURGE_REQUESTS")
  for line in io.lines(path) do
    local token, ticket = line:match("^(%S+)%s*(%S*)$")
    if token then
      local headers = { ["Authorization"] = "Bearer " .. token }
      if ticket ~= "" then
        headers["Surge-Waiting-Room-Ticket"] = ticket
      end
      requests[#requests + 1] = wrk.format("GET", "/api/v1/me", headers)
    end
  end
  if #requests == 0 then
    error("no requests in " .. tostring(path))
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
  index = math.random(#requests)
end

function request()
  index = index % #requests + 1
  return requests[index]
end

function response(status, headers, body)
  if status == 503 and headers["Surge-Waiting-Room-Ticket"] then
    room = room + 1
  elseif status == 503 then
    plain = plain + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local rooms, plains, others = 0, 0, 0
  for _, thread in ipairs(threads) do
    rooms = rooms + thread:get("room")
    plains = plains + thread:get("plain")
    others = others + thread:get("other")
  end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("SURGE_RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f "
    .. "room=%d plain=%d other=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, rooms, plains, others,
    e.connect + e.read + e.write + e.timeout))
end
