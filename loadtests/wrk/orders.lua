-- wrk script: GET /api/v1/me/orders/<orderId> with each customer's own token, rotating over the lines of the file
-- made by RequestSetup ("<token> <orderId>" per line). Its path comes from the SURGE_REQUESTS environment variable.
-- Requests are formatted once in init(), so wrk spends its time sending, not building strings.

local requests = {}
local index = 0

function init(args)
  local path = os.getenv("SURGE_REQUESTS")
  for line in io.lines(path) do
    local token, order = line:match("^(%S+)%s+(%S+)$")
    if token then
      requests[#requests + 1] = wrk.format("GET", "/api/v1/me/orders/" .. order,
        { ["Authorization"] = "Bearer " .. token })
    end
  end
  if #requests == 0 then
    error("no requests in " .. tostring(path))
  end
  -- Each thread starts somewhere else in the list, so threads do not ask for the same customer at once.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
  index = math.random(#requests)
end

function request()
  index = index % #requests + 1
  return requests[index]
end

-- One machine-readable line for bench.sh: latency in milliseconds; errors are non-2xx/3xx answers plus socket errors.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local errors = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format("SURGE_RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors))
end
