package io.luagate.plugin.lua.lib;

/**
 * Expected results of number-to-text conversions ({@code tostring}, {@code %s}, {@code table.concat})
 * and {@code _VERSION}, produced by the real Lua 5.3.6 (Debian's lua5.3) with the generator shown in
 * {@link Lua53Expected}. Not edited by hand; {@link LuaNumberTextTest} lists where luagate differs.
 */
final class NumberExpected {

    private NumberExpected() {
    }

    static final String[][] TOSTRING = {
        {"tostring(1/3)", "s:0.33333333333333"},
        {"tostring(-1/3)", "s:-0.33333333333333"},
        {"tostring(1e100)", "s:1e+100"},
        {"tostring(-1e100)", "s:-1e+100"},
        {"tostring(1e300 * 1e10)", "s:inf"},
        {"tostring(-1e300 * 1e10)", "s:-inf"},
        {"tostring(2^63)", "s:9.2233720368548e+18"},
        {"tostring(-2^63)", "s:-9.2233720368548e+18"},
        {"tostring(2^53)", "s:9.007199254741e+15"},
        {"tostring(1e15)", "s:1e+15"},
        {"tostring(100/2)", "s:50.0"},
        {"tostring(3)", "s:3"},
        {"tostring(-7)", "s:-7"},
        {"tostring(2^31)", "s:2147483648.0"},
        {"tostring(0.1)", "s:0.1"},
        {"tostring(0.1 + 0.2)", "s:0.3"},
        {"tostring(123.456)", "s:123.456"},
        {"tostring(1e-5)", "s:1e-05"},
        {"tostring(-1.5)", "s:-1.5"},
        {"tostring(2^-1074)", "s:4.9406564584125e-324"},
        {"tostring(1e14 + 0.5)", "s:1e+14"},
        {"tostring(123456789012.25)", "s:123456789012.25"},
        {"tostring(math.pi)", "s:3.1415926535898"},
        {"tostring(0/0)", "s:-nan"},
        {"tostring(-(0/0))", "s:nan"},
        {"tostring(nil)", "s:nil"},
        {"tostring(true)", "s:true"},
        {"tostring('x')", "s:x"},
        {"tostring()", "error:bad argument #1 to 'tostring' (value expected)"},
        {"tostring(setmetatable({}, {__tostring = function() return 'T' end}))", "s:T"},
        {"tostring(setmetatable({}, {__tostring = function() return 1 end}))", "s:1"},
        {"string.format('%s|%s|%s', 1/3, 2^63, 7)", "s:0.33333333333333|9.2233720368548e+18|7"},
        {"string.format('%5.2s|', 1/3)", "s:   0.|"},
        {"string.format('%10.4f', -0.0)", "s:   -0.0000"},
        {"string.format('%.3f', -1e-9)", "s:-0.000"},
        {"string.format('%g', -0.0)", "s:-0"},
        {"string.format('%e', 0.0)", "s:0.000000e+00"},
        {"string.format('%.14g', 2^63)", "s:9.2233720368548e+18"},
        {"string.format('%5.1s|', 'abc')", "s:    a|"},
        {"string.format('%q', 1/3)", "s:0x1.5555555555555p-2"},
        {"string.format('%d', 3.0)", "s:3"},
        {"string.format('%d', 3.5)", "error:bad argument #2 to 'format' (number has no integer representation)"},
        {"string.len(1/3)", "n:16"},
        {"string.rep(0.5, 2)", "s:0.50.5"},
        {"('x'):rep(2, 0.25)", "s:x0.25x"},
        {"_VERSION", "s:Lua 5.3"},
    };

    static final String[][] CONCAT = {
        {"table.concat({1, 2.5, 1/3, 'x'}, ',')", "s:1,2.5,0.33333333333333,x"},
        {"table.concat({1e100, 2^63, 7}, ' ')", "s:1e+100 9.2233720368548e+18 7"},
        {"table.concat({1, {}})", "error:invalid value (table) at index 2 in table for 'concat'"},
        {"table.concat({1, 2, nil, 4}, ',', 1, 4)", "error:invalid value (nil) at index 3 in table for 'concat'"},
        {"table.concat({}, ',')", "s:"},
        {"table.concat({1, 2, 3}, ', ', 2, 3)", "s:2, 3"},
        {"table.concat({1, 2, 3}, ', ', 3, 2)", "s:"},
        {"table.concat({1, 2, 3}, nil, 1, 2)", "s:12"},
        {"table.concat({1, 2, 3}, 0.5)", "s:10.520.53"},
        {"table.concat(nil)", "error:bad argument #1 to 'concat' (table expected, got nil)"},
        {"table.concat({'a', 'b'}, {})", "error:bad argument #2 to 'concat' (string expected, got table)"},
        {"table.concat(setmetatable({}, {__index = function(t, i) return 'v' .. i end, __len = function() return 3 end}), '-')", "s:v1-v2-v3"},
        {"table.concat({'a', 'b', 'c'}, '', 2)", "s:bc"},
        {"table.concat({'a', 'b'}, '', 1.5)", "error:bad argument #3 to 'concat' (number has no integer representation)"},
    };

    static final String[][] MAXINT = {
        {"math.maxinteger", "n:9223372036854775807"},
        {"tostring(math.maxinteger)", "s:9223372036854775807"},
        {"math.maxinteger .. ''", "s:9223372036854775807"},
        {"string.format('%d|%x|%q', math.maxinteger, math.maxinteger, math.maxinteger)", "s:9223372036854775807|7fffffffffffffff|9223372036854775807"},
        {"math.type(math.maxinteger)", "s:integer"},
        {"math.maxinteger == 2^63", "false"},
        {"math.maxinteger < 2^63", "true"},
        {"math.maxinteger > 2^62", "true"},
        {"math.maxinteger >= math.maxinteger", "true"},
        {"math.maxinteger + 0.0 < 2^63", "false"},
        {"math.tointeger(math.maxinteger) == math.maxinteger", "true"},
        {"tostring(-math.maxinteger)", "s:-9223372036854775807"},
        {"math.ult(1, math.maxinteger)", "true"},
        {"string.unpack('j', string.pack('j', math.maxinteger))", "n:9223372036854775807", "n:9"},
        {"string.unpack('j', string.pack('j', 2^53 + 1))", "n:9007199254740992", "n:9"},
        {"({[math.maxinteger] = 'x'})[math.maxinteger]", "s:x"},
        {"math.mininteger", "n:-9223372036854775808"},
        {"tostring(math.mininteger)", "s:-9223372036854775808"},
        {"math.max(1, math.maxinteger)", "n:9223372036854775807"},
    };
}
