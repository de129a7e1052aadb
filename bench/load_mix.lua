-- wrk script for bench/load.py: a mix of what the daemon serves, in a fixed rotation.
-- Usage: wrk ... -s bench/load_mix.lua http://127.0.0.1:PORT -- bench/queries.txt
-- Each line of the queries file is the query string of a search (see bench/queries.txt). Of
-- every 20 requests: 14 searches with facets, 2 without facets (facets=false), 2 filtered
-- searches (an agency and a language), 1 CSV export and 1 Atom feed of a search.
-- At the end, prints one machine-readable "BENCH key=value ..." line (latencies in µs).

local requests = {}
local position = 0
local threads_started = 0

function setup(thread)
  thread:set("thread_number", threads_started)
  threads_started = threads_started + 1
end

local function encode(text)
  return (text:gsub("[^%w%-%._~=&]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local path = args[1] or "bench/queries.txt"
  local queries = {}
  local file = assert(io.open(path, "r"), "cannot open " .. path)
  for line in file:lines() do
    line = line:gsub("\r$", "")
    if line:match("%S") and not line:match("^%s*#") then queries[#queries + 1] = encode(line) end
  end
  file:close()
  assert(#queries >= 20, "a mix needs at least 20 queries in " .. path)
  local kinds = {
    "search", "search", "search", "search", "search", "search", "search", "nofacets", "search",
    "search", "search", "filtered", "search", "search", "search", "nofacets", "export",
    "search", "filtered", "feed"}
  for i, query in ipairs(queries) do
    local kind = kinds[(i - 1) % #kinds + 1]
    local path = "/api/search?" .. query
    if kind == "nofacets" then
      path = path .. "&facets=false"
    elseif kind == "filtered" then
      path = path .. "&agency=mx-sfp&lang=es"
    elseif kind == "export" then
      path = "/api/export?format=csv&" .. query
    elseif kind == "feed" then
      path = "/api/feed?" .. query
    end
    requests[#requests + 1] = wrk.format("GET", path)
  end
  position = ((thread_number or 0) * 13) % #requests
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function done(summary, latency, requests_done)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f p50_us=%.0f p90_us=%.0f p99_us=%.0f max_us=%.0f " ..
    "errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
