-- Scenarios (a) list page 1, (b) the deep page and (c) the search: a GET of the URL given to
-- wrk, as the member.
local common = dofile(os.getenv("BENCH_LUA") .. "/common.lua")
common.authorize()
done = common.done
