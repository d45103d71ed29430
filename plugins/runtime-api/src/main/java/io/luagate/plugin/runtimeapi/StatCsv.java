package io.luagate.plugin.runtimeapi;

import io.luagate.spi.extension.ExtensionRuntime;
import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.ServerCheckState;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.proxy.Server;
import io.luagate.spi.proxy.TrafficStats;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HAProxy's {@code show stat}: a CSV with HAProxy 2.6's 129 columns in its order (its header
 * line copied from HAProxy 2.6.12), a row per frontend, then per backend its servers and its
 * BACKEND row. Columns luagate counts are filled; the others are left empty, as HAProxy leaves
 * the columns that do not apply to a row.
 */
final class StatCsv {

    /** HAProxy 2.6.12's header line, without its leading "# " and its LF. */
    static final String COLUMNS = "pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,"
            + "wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,"
            + "rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,"
            + "hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,"
            + "lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,agent_duration,check_desc,"
            + "agent_desc,check_rise,check_fall,check_health,agent_rise,agent_fall,agent_health,addr,cookie,mode,algo,"
            + "conn_rate,conn_rate_max,conn_tot,intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,"
            + "src_ilim,qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,"
            + "need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,ssl_sess,"
            + "ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,h2_settings_rcvd,h2_rst_stream_rcvd,"
            + "h2_goaway_rcvd,h2_detected_conn_protocol_errors,h2_detected_strm_protocol_errors,h2_rst_stream_resp,"
            + "h2_goaway_resp,h2_open_connections,h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,"
            + "h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,h1_bytes_out,"
            + "h1_spliced_bytes_in,h1_spliced_bytes_out,";

    private static final String[] NAMES = COLUMNS.split(",");
    private static final Map<String, Integer> INDEX = new HashMap<>();

    static {
        for (int i = 0; i < NAMES.length; i++) {
            INDEX.putIfAbsent(NAMES[i], i);
        }
    }

    /** HAProxy's {@code type} column. */
    private static final int FRONTEND = 0;
    private static final int BACKEND = 1;
    private static final int SERVER = 2;

    private final ExtensionRuntime runtime;

    StatCsv(ExtensionRuntime runtime) {
        this.runtime = runtime;
    }

    /** How many columns a row has. */
    static int columns() {
        return NAMES.length;
    }

    /**
     * The whole answer.
     *
     * @param upOnly  HAProxy's {@code up}: only servers that are up
     * @param noMaint HAProxy's {@code no-maint}: no server in maintenance
     */
    String render(boolean upOnly, boolean noMaint) {
        ProxyIds ids = new ProxyIds(runtime);
        StringBuilder out = new StringBuilder("# ").append(COLUMNS).append('\n');
        int maxconn = runtime.process().maxConnections();
        long start = runtime.process().startTime().toEpochMilli();
        for (Frontend frontend : runtime.frontends().values()) {
            Row row = new Row();
            TrafficStats s = frontend.stats();
            row.set("pxname", frontend.name()).set("svname", "FRONTEND");
            row.set("scur", s.currentSessions()).set("slim", maxconn).set("stot", s.totalSessions());
            row.set("bin", s.bytesIn()).set("bout", s.bytesOut()).set("ereq", s.requestErrors());
            row.set("status", frontend.stopped() ? "STOP" : frontend.paused() ? "PAUSED" : "OPEN");
            row.set("pid", 1).set("iid", ids.frontend(frontend.name())).set("sid", 0).set("type", FRONTEND);
            http(row, s, frontend.mode());
            row.set("conn_tot", s.totalSessions());
            out.append(row);
        }
        for (Backend backend : runtime.backends().values()) {
            int iid = ids.backend(backend.name());
            List<? extends Server> servers = backend.servers();
            int active = 0;
            int backup = 0;
            long weight = 0;
            for (int i = 0; i < servers.size(); i++) {
                Server server = servers.get(i);
                boolean usable = ServerStates.usable(server);
                if (usable) {
                    weight += server.weight();
                    if (server.isBackup()) {
                        backup++;
                    } else {
                        active++;
                    }
                }
                if ((upOnly && !usable) || (noMaint && server.admin() == io.luagate.spi.proxy.ServerAdmin.MAINT)) {
                    continue;
                }
                Row row = new Row();
                TrafficStats s = server.stats();
                row.set("pxname", backend.name()).set("svname", server.name());
                row.set("qcur", server.queued()).set("scur", server.currentStreams()).set("stot", s.totalSessions());
                row.set("bin", s.bytesIn()).set("bout", s.bytesOut());
                row.set("econ", s.connectErrors()).set("eresp", s.responseErrors());
                row.set("status", server.status()).set("weight", server.weight());
                row.set("act", server.isBackup() ? 0 : 1).set("bck", server.isBackup() ? 1 : 0);
                row.set("lastchg", ServerStates.secondsSinceChange(server, start));
                checks(row, server);
                row.set("pid", 1).set("iid", iid).set("sid", i + 1).set("type", SERVER);
                http(row, s, backend.mode());
                InetSocketAddress address = server.address();
                row.set("addr", address.getAddress().getHostAddress() + ":" + address.getPort());
                row.set("uweight", server.weight());
                out.append(row);
            }
            Row row = new Row();
            TrafficStats s = backend.stats();
            row.set("pxname", backend.name()).set("svname", "BACKEND");
            row.set("scur", s.currentSessions()).set("stot", s.totalSessions());
            row.set("bin", s.bytesIn()).set("bout", s.bytesOut());
            row.set("econ", s.connectErrors()).set("eresp", s.responseErrors());
            row.set("status", active + backup > 0 ? "UP" : "DOWN").set("weight", weight);
            row.set("act", active).set("bck", backup);
            row.set("pid", 1).set("iid", iid).set("sid", 0).set("type", BACKEND);
            http(row, s, backend.mode());
            row.set("uweight", weight);
            out.append(row);
        }
        return out.toString();
    }

    /** The check columns, filled for a checked server only, as HAProxy fills them. */
    private static void checks(Row row, Server server) {
        ServerCheckState state = server.checkState();
        if (!state.checked()) {
            return;
        }
        CheckResult last = state.last();
        row.set("chkfail", state.failedChecks()).set("chkdown", server.downTransitions());
        row.set("downtime", server.downtimeMillis() / 1000);
        row.set("check_status", last.status().code());
        if (last.code() > 0) {
            row.set("check_code", last.code());
        }
        if (last.durationMillis() >= 0) {
            row.set("check_duration", last.durationMillis());
        }
        row.set("last_chk", last.info());
        row.set("check_desc", last.status().description());
        row.set("check_rise", state.rise()).set("check_fall", state.fall()).set("check_health", state.health());
    }

    /** The HTTP columns, for a proxy in mode http; HAProxy leaves them empty in mode tcp. */
    private static void http(Row row, TrafficStats s, String mode) {
        row.set("mode", mode);
        if (!"http".equals(mode)) {
            return;
        }
        row.set("hrsp_1xx", s.http1xx()).set("hrsp_2xx", s.http2xx()).set("hrsp_3xx", s.http3xx());
        row.set("hrsp_4xx", s.http4xx()).set("hrsp_5xx", s.http5xx()).set("hrsp_other", s.httpOther());
        row.set("req_tot", s.httpRequests());
    }

    /** One CSV row; every cell empty until set, and the module separator column "-". */
    static final class Row {
        private final String[] cells = new String[NAMES.length];

        Row() {
            Arrays.fill(cells, "");
            cells[INDEX.get("-")] = "-";
        }

        Row set(String column, Object value) {
            Integer i = INDEX.get(column);
            if (i == null) {
                throw new IllegalArgumentException("no column " + column);
            }
            cells[i] = csv(String.valueOf(value));
            return this;
        }

        /** HAProxy quotes nothing; a comma or line break in a name would break the row, so it is replaced. */
        private static String csv(String text) {
            return text.replace(',', '_').replace('\n', '_');
        }

        @Override
        public String toString() {
            StringBuilder line = new StringBuilder();
            for (String cell : cells) {
                // The header's trailing comma: every cell is followed by one.
                line.append(cell).append(',');
            }
            // NAMES drops the empty name after the header's trailing comma, so the count matches HAProxy's rows.
            return line.append('\n').toString();
        }
    }
}
