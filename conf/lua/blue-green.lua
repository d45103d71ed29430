-- Blue-green routing with HAProxy's Lua API (runs unchanged on HAProxy 2.6 with lua-load).
--
--   * lua.color     a fetch: the colour for this request ("x-color: green" forces one, for testing)
--   * lua.stamp     an action: tells the upstream which colour served the request
--   * lua.flip      a service: GET shows the live colour, POST with "blue" or "green" switches it
--
-- Loaded with lua.load (one shared state), so a switch made through one event loop is seen by all.

local live = "blue"

core.register_fetches("color", function(txn)
  local forced = txn.http:req_get_headers()["x-color"]
  if forced and (forced[0] == "blue" or forced[0] == "green") then
    return forced[0]
  end
  return live
end)

core.register_action("stamp", { "http-req" }, function(txn)
  txn.http:req_set_header("x-served-color", txn:get_var("txn.color") or "none")
end)

core.register_service("flip", "http", function(applet)
  if applet.method == "POST" then
    local wanted = applet:receive():gsub("%s+", "")
    if wanted ~= "blue" and wanted ~= "green" then
      local msg = "expected blue or green\n"
      applet:set_status(400)
      applet:add_header("content-type", "text/plain")
      applet:add_header("content-length", #msg)
      applet:start_response()
      applet:send(msg)
      return
    end
    live = wanted
    core.Info("blue-green: live colour is now " .. live)
  end
  local msg = "live: " .. live .. "\n"
  applet:set_status(200)
  applet:add_header("content-type", "text/plain")
  applet:add_header("content-length", #msg)
  applet:start_response()
  applet:send(msg)
end)
