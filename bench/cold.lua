-- wrk script: POST /v1/passwords/check with a fresh random SHA-1 each time, so that every check misses the cache.
local headers = { ["Content-Type"] = "application/json" }
local hex = "0123456789ABCDEF"
function request()
  local t = {}
  for i = 1, 40 do
    local n = math.random(1, 16)
    t[i] = hex:sub(n, n)
  end
  return wrk.format("POST", "/v1/passwords/check", headers, '{"sha1":"' .. table.concat(t) .. '"}')
end
