-- wrk script of the tokengate benchmark (bench/lib/wrk.ts sets these environment variables):
--   BENCH_METHOD     request method (default GET)
--   BENCH_AUTH       value of the Authorization header (none when unset)
--   BENCH_BODY_FILE  file whose content is sent as a JSON body (row 7's 2 MiB document)
--   BENCH_DELAY_MS   pace each connection: wait a random 0..2×mean ms before each request
--                    (the half-load measurement; unset = as fast as possible)
-- The request is built once (no request() function), so the script adds no per-request Lua work
-- at saturation. done() prints one machine-readable line: BENCH_RESULT {json}.

local method = os.getenv("BENCH_METHOD")
if method ~= nil and method ~= "" then
  wrk.method = method
end

local auth = os.getenv("BENCH_AUTH")
if auth ~= nil and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

local bodyFile = os.getenv("BENCH_BODY_FILE")
if bodyFile ~= nil and bodyFile ~= "" then
  local file = assert(io.open(bodyFile, "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
end

local meanDelayMs = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if meanDelayMs ~= nil then
  math.randomseed(os.time())
  -- Uniform on [0, 2×mean], rounded up or down at random so the mean is kept with whole-ms timers.
  -- Random gaps keep the connections from firing in lock-step bursts.
  function delay()
    local x = math.random() * 2 * meanDelayMs
    local whole = math.floor(x)
    if math.random() < x - whole then
      whole = whole + 1
    end
    return whole
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
