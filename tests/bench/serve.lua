-- serve.lua - the wrk script of tests/bench/serve.sh: requests of one
-- kind against sf serve, and latency percentiles at the end.
--
-- Environment: SF_TOKEN (a bearer token), SF_METHOD (GET or PUT),
-- SF_PATHS (a file of request paths, one a line, picked at random),
-- SF_BODY (for PUT: a body where {pos} becomes a random position).
local token = os.getenv("SF_TOKEN")
local method = os.getenv("SF_METHOD") or "GET"
local body = os.getenv("SF_BODY")
if body == "" then
	body = nil
end
local paths = {}
for line in io.lines(os.getenv("SF_PATHS")) do
	paths[#paths + 1] = line
end

function init(args)
	math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
	local headers = { ["Authorization"] = "Bearer " .. token }
	local b = nil
	if body then
		headers["Content-Type"] = "application/json"
		b = body:gsub("{pos}", tostring(math.random(1, 5000)))
	end
	return wrk.format(method, paths[math.random(1, #paths)], headers, b)
end

local errors = 0
function response(status, headers, b)
	if status >= 300 then
		errors = errors + 1
	end
end

function done(summary, latency, requests)
	local bad = summary.errors.status + summary.errors.connect + summary.errors.read +
		summary.errors.write + summary.errors.timeout
	io.write(string.format("RESULT %.1f %.2f %.2f %d %d\n",
		summary.requests / (summary.duration / 1e6),
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		summary.requests, bad))
end
