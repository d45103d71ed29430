-- Canary routing with HAProxy's Lua API (runs unchanged on HAProxy 2.6 with lua-load-per-thread).
--
--   * lua.canary    a fetch: "canary" for a stable share of the clients (by their "user" cookie,
--                   else their address), "stable" for the others
--
-- It keeps nothing between requests, so it is loaded with lua.load-per-thread: every event loop
-- runs its own copy, with no lock. Compare blue-green.lua, whose live colour must be shared.

local PERCENT = 10

core.register_fetches("canary", function(txn)
  local key = txn.f:req_cook("user") or txn.f:src() or ""
  local h = 0
  for i = 1, #key do
    h = (h * 31 + key:byte(i)) % 1000003
  end
  if h % 100 < PERCENT then
    return "canary"
  end
  return "stable"
end)
