package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code core.http_date}, {@code imf_date}, {@code rfc850_date}, {@code asctime_date} from real
 * scripts. Expected values were computed with {@code date -u -d '<date> UTC' +%s}.
 */
class HttpDatesTest {

    private static final String SCRIPT = """
            -- usable at load time, like HAProxy
            assert(core.imf_date("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777)
            assert(math.type(core.http_date("Sun, 06 Nov 1994 08:49:37 GMT")) == "integer")
            for _, f in ipairs({"http_date", "imf_date", "rfc850_date", "asctime_date"}) do
              core.register_fetches(f, function(_, ...) return core[f](...) end)
            end
            """;

    @TempDir
    Path dir;

    private final EventLoop loop = new DefaultEventLoop();
    private ScriptRunner lua;

    @BeforeEach
    void load() throws Exception {
        lua = new ScriptRunner(dir, loop, SCRIPT);
    }

    @AfterEach
    void stop() throws Exception {
        if (lua != null) {
            lua.stop();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private LuaValue parse(String function, String date) throws Exception {
        Varargs v = lua.values(function, LuaValue.valueOf(date));
        assertEquals(1, v.narg(), "one result");
        return v.arg1();
    }

    private void assertEpoch(long expected, String function, String date) throws Exception {
        LuaValue v = parse(function, date);
        assertTrue(v.isnumber(), () -> function + "(" + date + ") gave " + v);
        assertEquals(expected, (long) v.todouble(), function + "(" + date + ")");
    }

    private void assertNil(String function, String date) throws Exception {
        LuaValue v = parse(function, date);
        assertTrue(v.isnil(), () -> function + "(" + date + ") gave " + v + ", expected nil");
    }

    @Test
    void theThreeFormatsOfRfc7231() throws Exception {
        assertEpoch(784111777, "imf_date", "Sun, 06 Nov 1994 08:49:37 GMT");
        assertEpoch(784111777, "rfc850_date", "Sunday, 06-Nov-94 08:49:37 GMT");
        assertEpoch(784111777, "asctime_date", "Sun Nov  6 08:49:37 1994");
        for (String date : new String[] {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"}) {
            assertEpoch(784111777, "http_date", date);
        }
        assertEpoch(1330837567, "http_date", "Sun, 04 Mar 2012 05:06:07 GMT");
    }

    @Test
    void eachSingleFormatParserRefusesTheOthers() throws Exception {
        assertNil("imf_date", "Sunday, 06-Nov-94 08:49:37 GMT");
        assertNil("imf_date", "Sun Nov  6 08:49:37 1994");
        assertNil("rfc850_date", "Sun, 06 Nov 1994 08:49:37 GMT");
        assertNil("rfc850_date", "Sun Nov  6 08:49:37 1994");
        assertNil("asctime_date", "Sun, 06 Nov 1994 08:49:37 GMT");
        assertNil("asctime_date", "Sunday, 06-Nov-94 08:49:37 GMT");
    }

    @Test
    void rfc850YearsPivotAt60AndMayHaveFourDigits() throws Exception {
        assertEpoch(2840140800L, "rfc850_date", "Thursday, 01-Jan-60 00:00:00 GMT");
        assertEpoch(-283996800L, "rfc850_date", "Sunday, 01-Jan-61 00:00:00 GMT");
        assertEpoch(946684799L, "rfc850_date", "Friday, 31-Dec-99 23:59:59 GMT");
        assertEpoch(946684800L, "rfc850_date", "Saturday, 01-Jan-00 00:00:00 GMT");
        assertEpoch(784111777, "rfc850_date", "Sunday, 06-Nov-1994 08:49:37 GMT");
        assertNil("rfc850_date", "Sunday, 06-Nov-199 08:49:37 GMT");
    }

    @Test
    void asctimeDayIsOneDigitAfterTwoSpacesOrTwoDigits() throws Exception {
        assertEpoch(784111777, "asctime_date", "Sun Nov 06 08:49:37 1994");
        assertNil("asctime_date", "Sun Nov 6 08:49:37 1994");
        assertNil("asctime_date", "Sun Nov  06 08:49:37 1994");
        assertNil("asctime_date", "Sun Nov  6 08:49:37 94");
    }

    @Test
    void edgesOfTheCalendar() throws Exception {
        assertEpoch(0, "imf_date", "Thu, 01 Jan 1970 00:00:00 GMT");
        assertEpoch(-1, "imf_date", "Wed, 31 Dec 1969 23:59:59 GMT");
        assertEpoch(951825600L, "imf_date", "Tue, 29 Feb 2000 12:00:00 GMT");
        assertEpoch(1709251199L, "imf_date", "Thu, 29 Feb 2024 23:59:59 GMT");
        assertEpoch(-2203891200L, "imf_date", "Thu, 01 Mar 1900 00:00:00 GMT");
        assertEpoch(2147483648L, "imf_date", "Tue, 19 Jan 2038 03:14:08 GMT");
        assertEpoch(253402300799L, "imf_date", "Fri, 31 Dec 9999 23:59:59 GMT");
        assertEpoch(-62167219200L, "imf_date", "Sat, 01 Jan 0000 00:00:00 GMT");
        // a leap second counts as second 0 of the next minute
        assertEpoch(1483228800L, "imf_date", "Sat, 31 Dec 2016 23:59:60 GMT");
    }

    @Test
    void fieldsOutOfRangeAreInvalid() throws Exception {
        assertNil("imf_date", "Mon, 29 Feb 2100 00:00:00 GMT");
        assertNil("imf_date", "Thu, 29 Feb 2001 00:00:00 GMT");
        assertNil("imf_date", "Sun, 31 Nov 1994 08:49:37 GMT");
        assertNil("imf_date", "Sun, 32 Dec 1994 08:49:37 GMT");
        assertNil("imf_date", "Sun, 00 Nov 1994 08:49:37 GMT");
        assertNil("imf_date", "Sun, 06 Nov 1994 24:00:00 GMT");
        assertNil("imf_date", "Sun, 06 Nov 1994 23:60:00 GMT");
        assertNil("imf_date", "Sun, 06 Nov 1994 23:59:61 GMT");
        assertNil("rfc850_date", "Sunday, 31-Apr-94 08:49:37 GMT");
        assertNil("asctime_date", "Sun Nov  0 08:49:37 1994");
        assertNil("http_date", "Sun Nov 31 08:49:37 1994");
    }

    @Test
    void namesAreExactAndCaseSensitive() throws Exception {
        assertNil("imf_date", "sun, 06 Nov 1994 08:49:37 GMT");
        assertNil("imf_date", "Sunday, 06 Nov 1994 08:49:37 GMT");
        assertNil("imf_date", "Mun, 06 Nov 1994 08:49:37 GMT");
        assertNil("imf_date", "Sun, 06 nov 1994 08:49:37 GMT");
        assertNil("imf_date", "Sun, 06 Nvm 1994 08:49:37 GMT");
        assertNil("imf_date", "Sun, 06 Nov 1994 08:49:37 gmt");
        assertNil("imf_date", "Sun, 06 Nov 1994 08:49:37 UTC");
        assertNil("rfc850_date", "Sun, 06-Nov-94 08:49:37 GMT");
        assertNil("rfc850_date", "Sundae, 06-Nov-94 08:49:37 GMT");
        assertNil("rfc850_date", "Tuesday, 06-Nov-94 08:49:37 GMT".replace("Tuesday", "Tueday"));
        assertNil("asctime_date", "Sunday Nov  6 08:49:37 1994");
        // A real weekday name that does not fit the date is not checked, as in HAProxy.
        assertEpoch(784111777, "imf_date", "Mon, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void digitsAndSeparatorsAreExact() throws Exception {
        assertNil("imf_date", "Sun, 6 Nov 1994 08:49:37 GMT");
        assertNil("imf_date", "Sun, 06 Nov 94 08:49:37 GMT");
        assertNil("imf_date", "Sun,06 Nov 1994 08:49:37 GMT");
        assertNil("imf_date", "Sun,  06 Nov 1994 08:49:37 GMT");
        assertNil("imf_date", "Sun, 06 Nov 1994 8:49:37 GMT");
        assertNil("imf_date", "Sun, 06 Nov 1994 08.49.37 GMT");
        assertNil("imf_date", "Sun, 06 Nov 1994 08:49:37");
        assertNil("imf_date", "Sun, 06 Nov 1994 08:49:3 GMT");
        assertNil("imf_date", "Sun, 06 Nov 1994 08:49:37  GMT");
        assertNil("imf_date", " Sun, 06 Nov 1994 08:49:37 GMT");
        assertNil("imf_date", "Sun, 0x Nov 1994 08:49:37 GMT");
        assertNil("http_date", "");
        assertNil("http_date", "Sun");
        assertNil("http_date", "1994-11-06T08:49:37Z");
    }

    @Test
    void bytesAfterTheDateAreNotLookedAt() throws Exception {
        // HAProxy's parsers stop after the last field and never check for the end.
        assertEpoch(784111777, "imf_date", "Sun, 06 Nov 1994 08:49:37 GMTxyz");
        assertEpoch(784111777, "rfc850_date", "Sunday, 06-Nov-94 08:49:37 GMT; junk");
        assertEpoch(784111777, "asctime_date", "Sun Nov  6 08:49:37 19945");
    }

    @Test
    void argumentsAreChecked() throws Exception {
        String none = lua.error("http_date");
        assertTrue(none.contains("bad argument #1 to 'http_date' (string expected, got no value)"), none);
        String table = lua.error("imf_date", new org.luaj.vm2.LuaTable());
        assertTrue(table.contains("bad argument #1 to 'imf_date' (string expected, got table)"), table);
        String nil = lua.error("asctime_date", LuaValue.NIL);
        assertTrue(nil.contains("bad argument #1 to 'asctime_date' (string expected, got nil)"), nil);
        // a number is a string to luaL_checklstring; it is no date
        assertTrue(lua.values("rfc850_date", LuaValue.valueOf(784111777)).arg1().isnil());
    }
}
