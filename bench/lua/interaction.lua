-- Scenario (e): posting a note (an interaction) on the member's attendances, one after the other
-- through the ids of BENCH_IDS, so concurrent posts rarely hit the same attendance.
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
common.authorize()
wrk.headers["Content-Type"] = "application/json"
done = common.done

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

local ids, n
local body = '{"body":"Cliente retornou a ligação: pediu revisão do orçamento e ' ..
  'confirmação da visita técnica às 15h.","notify":false}'
function init(args)
  ids = common.read_ids()
  n = (thread_no or 1) * 104729
end

function request()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  return wrk.format("POST", "/api/v1/attendances/" .. id .. "/interactions", nil, body)
end
