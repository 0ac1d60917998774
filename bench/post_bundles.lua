-- wrk script: POSTs the transaction bundles listed in $BUNDLE_LIST in turn.
local bodies = {}
local i = 0
local list = os.getenv("BUNDLE_LIST")
for path in io.lines(list) do
  local f = assert(io.open(path, "rb"))
  bodies[#bodies + 1] = f:read("*a")
  f:close()
end
local headers = { ["Content-Type"] = "application/fhir+json",
                  ["Authorization"] = "Bearer " .. os.getenv("TOKEN") }
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/fhir", headers, bodies[i])
end
