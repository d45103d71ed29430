package io.luagate.plugin.stats;

/** The page's inline style sheet: HAProxy's stats page colors, so that its users read states at a glance. */
final class StatsPageStyle {

    static final String CSS = """
            body { font-family: arial, helvetica, sans-serif; font-size: 12px; font-weight: normal; color: black; background: white; }
            th, td { font-size: 10px; }
            h1 { font-size: x-large; margin-bottom: 0.5em; }
            h1 .version { font-size: small; font-weight: normal; }
            h2 { font-family: helvetica, arial; font-size: x-large; font-weight: bold; font-style: italic; color: #6020a0; margin-top: 0em; margin-bottom: 0em; }
            h3 { font-family: helvetica, arial; font-size: 16px; font-weight: bold; color: #b00040; background: #e8e8d0; margin-top: 0em; margin-bottom: 0em; }
            li { margin-top: 0.25em; margin-right: 2em; }
            .hr { margin-top: 0.25em; border-color: black; border-bottom-style: solid; }
            .titre { background: #20D0D0; color: #000000; font-weight: bold; text-align: center; }
            .frontend { background: #e8e8d0; }
            .backend { background: #e8e8d0; }
            .active_down { background: #ff9090; }
            .active_going_up { background: #ffd020; }
            .active_going_down { background: #ffffa0; }
            .active_up { background: #c0ffc0; }
            .active_nolb { background: #20a0ff; }
            .active_draining { background: #20a0FF; }
            .active_no_check { background: #e0e0e0; }
            .backup_down { background: #ff9090; }
            .backup_going_up { background: #ff80ff; }
            .backup_going_down { background: #c060ff; }
            .backup_up { background: #b0d0ff; }
            .backup_nolb { background: #90b0e0; }
            .backup_draining { background: #cc9900; }
            .backup_no_check { background: #e0e0e0; }
            .maintain { background: #c07820; }
            .message { background: #ffd020; padding: 2px 4px; font-weight: bold; }
            a.px:link, a.px:visited { color: #ffff40; text-decoration: none; }
            a.px:hover { color: #ffffff; text-decoration: none; }
            table.gen td { vertical-align: top; padding-right: 2em; }
            table.gen td.info { text-align: left; white-space: nowrap; }
            table.tbl { border-collapse: collapse; border-style: none; margin-bottom: 1em; }
            table.tbl.title { margin-bottom: 0; }
            table.tbl td { text-align: right; border-width: 1px; border-style: solid; padding: 2px 3px; border-color: gray; white-space: nowrap; }
            table.tbl td.ac { text-align: center; }
            table.tbl td.al { text-align: left; }
            table.tbl th { border-width: 1px; border-style: solid; border-color: gray; }
            table.tbl th.pxname { background: #b00040; color: #ffff40; font-weight: bold; border-style: solid solid none solid; padding: 2px 3px; white-space: nowrap; }
            table.tbl th.kind { border-style: none; background: white; text-align: left; padding: 2px 6px; font-weight: normal; }
            table.lgd { border-collapse: collapse; border-width: 1px; border-style: none none none solid; border-color: black; }
            table.lgd td { border-width: 1px; border-style: solid; border-color: gray; padding: 2px; width: 1.5em; }
            table.lgd td.noborder { border-style: none; padding: 2px; white-space: nowrap; width: auto; }
            """;

    private StatsPageStyle() {
    }
}
