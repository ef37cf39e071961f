-- Shared by every scenario: the bearer token (BENCH_TOKEN), and a done() that writes wrk's own
-- numbers as one JSON object to BENCH_RESULT for bench/report.py.
local common = {}

function common.authorize()
  wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("BENCH_TOKEN"), "BENCH_TOKEN")
  wrk.headers["Accept"] = "application/json"
end

-- One id a line, read by every thread (each has its own Lua state).
function common.read_ids()
  local ids = {}
  local path = os.getenv("BENCH_IDS")
  assert(path, "BENCH_IDS")
  for line in io.lines(path) do
    if #line > 0 then ids[#ids + 1] = line end
  end
  assert(#ids > 0, "no ids in " .. path)
  return ids
end

function common.done(summary, latency, requests)
  local ms = function(us) return us / 1000.0 end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local out = assert(io.open(assert(os.getenv("BENCH_RESULT"), "BENCH_RESULT"), "w"))
  out:write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"mean_ms":%.3f,"p50_ms":%.3f,"p90_ms":%.3f,' ..
    '"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f,"non_2xx":%d,"connect_errors":%d,' ..
    '"read_errors":%d,"write_errors":%d,"timeouts":%d}\n',
    summary.requests, seconds, summary.requests / seconds, ms(latency.mean),
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)),
    ms(latency:percentile(99.9)), ms(latency.max), e.status, e.connect, e.read, e.write,
    e.timeout))
  out:close()
end

return common
