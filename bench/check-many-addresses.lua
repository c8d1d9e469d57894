-- wrk script: as check.lua, but each request comes "from" one of 65,536 client addresses (X-Forwarded-For, which the
-- service trusts from 127.0.0.1 in this run), so each draws from a bucket of its own: the many-clients case of the
-- rate limiter, where no two requests share a bucket for long.
local bodies = {}

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = '{"sha1":"' .. line .. '"}'
  end
  math.randomseed(os.time() + #bodies)
end

function request()
  local headers = { ["Content-Type"] = "application/json",
                    ["X-Forwarded-For"] = "10.1." .. math.random(0, 255) .. "." .. math.random(0, 255) }
  return wrk.format("POST", "/v1/passwords/check", headers, bodies[math.random(#bodies)])
end
