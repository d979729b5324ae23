-- Book a request, then unbook it, over the requests named on the command line; thread k takes
-- every other id from k. Responses are 200 (done) or 409 (another connection got there first).
local ids, n, thread_id = {}, 0, 0
local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
function init(args)
    for i, id in ipairs(args) do if (i - 1) % 2 == tid then ids[#ids + 1] = id end end
end
function request()
    n = n + 1
    local id = ids[(math.floor((n - 1) / 2) % #ids) + 1]
    if n % 2 == 1 then
        return wrk.format("POST", "/clinics/small/requests/" .. id .. "/book")
    end
    return wrk.format("DELETE", "/clinics/small/requests/" .. id .. "/placement")
end
local statuses = {}
function response(status) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
    io.write(string.format("requests %d, non-2xx or socket errors %d\n", summary.requests,
        summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
