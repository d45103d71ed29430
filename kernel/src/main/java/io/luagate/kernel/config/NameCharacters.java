package io.luagate.kernel.config;

/**
 * The characters HAProxy 2.6 takes in the names it checks ({@code invalid_char()}: ASCII letters
 * and digits, {@code . : _ -}): frontends, backends, listen sections, servers (written or added at
 * run time), ACLs, userlists and groups. It refuses the rest at load, a UTF-8 {@code café} too,
 * so luagate does; a name therefore reads the same as text and as the bytes a rule word holds.
 * HAProxy checks no user name (nor a defaults or cache name), and neither does luagate.
 */
public final class NameCharacters {

    private NameCharacters() {
    }

    /**
     * Why {@code name} cannot name a {@code what} ("frontend", "server"...), in HAProxy's words;
     * {@code null} when it can.
     */
    public static String problem(String what, String name) {
        if (name.isEmpty()) {
            // HAProxy's invalid_char() refuses an empty name as well.
            return "the " + what + " name must not be empty";
        }
        int at = firstInvalid(name);
        if (at < 0) {
            return null;
        }
        return "character '" + Character.toString(name.codePointAt(at)) + "' is not permitted in " + what
                + " name '" + name + "' (HAProxy takes ASCII letters, digits, '.', ':', '_' and '-')";
    }

    /** The index of the first character HAProxy refuses in a name, or -1. */
    static int firstInvalid(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == ':' || c == '_' || c == '-';
            if (!ok) {
                return i;
            }
        }
        return -1;
    }
}
