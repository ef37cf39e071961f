-- Scenario (d): one attendance, then its timeline, alternating; the attendance changes every two
-- requests, walking the ids collected from the member's list (BENCH_IDS) from a different
-- starting point in each thread.
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
common.authorize()
done = common.done

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

local ids, n
function init(args)
  ids = common.read_ids()
  n = (thread_no or 1) * 7919
end

function request()
  n = n + 1
  local id = ids[(math.floor(n / 2) % #ids) + 1]
  if n % 2 == 0 then
    return wrk.format("GET", "/api/v1/attendances/" .. id)
  end
  return wrk.format("GET", "/api/v1/attendances/" .. id .. "/timeline")
end
