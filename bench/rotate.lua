-- wrk script for bench/query_bench.sh: sends the queries of a file in turn.
-- Usage: wrk ... -s bench/rotate.lua http://127.0.0.1:PORT -- bench/queries.txt
-- Each line of the file is the query string of GET /api/search (see bench/queries.txt).
-- At the end, prints one machine-readable "BENCH key=value ..." line (latencies in µs).

local queries = {}
local position = 0
local threads_started = 0

-- Runs in the main Lua state once per thread: give each thread its own starting point.
function setup(thread)
  thread:set("thread_number", threads_started)
  threads_started = threads_started + 1
end

local function encode(text)
  return (text:gsub("[^%w%-%._~=&]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local path = args[1] or "bench/queries.txt"
  local file = assert(io.open(path, "r"), "cannot open " .. path)
  for line in file:lines() do
    line = line:gsub("\r$", "")
    if line:match("%S") and not line:match("^%s*#") then
      queries[#queries + 1] = wrk.format("GET", "/api/search?" .. encode(line))
    end
  end
  file:close()
  assert(#queries > 0, "no queries in " .. path)
  position = ((thread_number or 0) * 13) % #queries
end

function request()
  position = position % #queries + 1
  return queries[position]
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%.0f p90_us=%.0f p99_us=%.0f max_us=%.0f " ..
    "mean_us=%.1f errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
