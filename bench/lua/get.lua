-- Scenarios (a) list page 1, (b) the deep page, (c) the search and (f) the flow summary: a GET of
-- the URL given to wrk, as the member.
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
common.authorize()
done = common.done
