-- wrk script: POST /v1/passwords/check with a SHA-1 drawn at random from a warm set (one per line in the file
-- given after "--"). Bodies are prebuilt so the client spends its time sending, not formatting.
local bodies = {}
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = '{"sha1":"' .. line .. '"}'
  end
  math.randomseed(os.time() + #bodies)
end

function request()
  return wrk.format("POST", "/v1/passwords/check", headers, bodies[math.random(#bodies)])
end
