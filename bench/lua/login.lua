-- The login flood (bench/login-flood.sh): every connection posts the same right credentials
-- (BENCH_EMAIL, BENCH_PASSWORD), so every request costs one argon2id verification. Counts the
-- answers by status across threads (each thread has its own Lua state) into BENCH_STATUS.
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = string.format('{"email":"%s","password":"%s"}',
  assert(os.getenv("BENCH_EMAIL"), "BENCH_EMAIL"), assert(os.getenv("BENCH_PASSWORD"), "BENCH_PASSWORD"))

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  common.done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  local out = assert(io.open(assert(os.getenv("BENCH_STATUS"), "BENCH_STATUS"), "w"))
  for status, count in pairs(totals) do
    out:write(string.format("%d %d\n", status, count))
  end
  out:close()
end
