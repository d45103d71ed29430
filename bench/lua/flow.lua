-- The Lua of bench/lua-vs-haproxy.sh: one fetch and one action per request, loaded unchanged by
-- HAProxy 2.6 (lua-load / lua-load-per-thread) and by luagate (lua.load / lua.load-per-thread).
--
--   http-request set-var(req.flow) lua.flow_type
--   http-request lua.add_flow_header
--
-- The benchmark's requests carry "X-Tenant: pfb" and ask for /orders/42, so every request takes
-- the branch that matches both the header and the path. The upstream answers /orders/check with
-- the X-Flow header it received, which is how the script checks that both calls ran.

core.register_fetches("flow_type", function(txn)
  local tenant = txn.f:req_hdr("x-tenant")
  local path = txn.f:path()
  if tenant == "pfb" and path:sub(1, 8) == "/orders/" then
    return "pfb"
  end
  return "default"
end)

core.register_action("add_flow_header", { "http-req" }, function(txn)
  txn.http:req_add_header("x-flow", txn:get_var("req.flow") or "none")
end)
