-- wrk script: GETs the paths listed in $PATH_LIST in turn (read by id).
local paths = {}
local i = 0
local headers = { ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }
for p in io.lines(os.getenv("PATH_LIST")) do paths[#paths + 1] = p end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end
