-- wrk script: GET /range/PREFIX for a random 5-hex prefix, as the service's cold checks ask nginx for one.
local headers = { ["Add-Padding"] = "true", ["Accept-Encoding"] = "gzip" }
function request()
  return wrk.format("GET", string.format("/range/%05X", math.random(0, 0xFFFFF)), headers)
end
