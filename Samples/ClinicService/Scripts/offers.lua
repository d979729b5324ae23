-- GET the offers of the requests named on the command line, in turn.
local ids, n = {}, 0
function init(args) for _, id in ipairs(args) do ids[#ids + 1] = id end end
function request()
    n = n + 1
    return wrk.format("GET", "/clinics/small/requests/" .. ids[(n % #ids) + 1] .. "/offers?limit=5")
end
