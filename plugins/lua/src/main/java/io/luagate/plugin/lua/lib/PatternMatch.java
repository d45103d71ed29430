package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua 5.3's pattern matcher (lstrlib.c's MatchState and {@code match}) over the bytes of a subject
 * and a pattern, with the same errors. Positions are indices into the subject's byte array; the
 * end of either string reads as byte 0, as C reads the terminating NUL.
 *
 * <p>Backtracking can take exponential time in one library call ({@code ("a"):rep(1e6):find(".-.-.-b")}),
 * so the matcher counts its steps and lets {@link LibraryLimits} check the running call's
 * deadline every {@link #STEPS_PER_CHECK} of them.
 */
final class PatternMatch {

    /** lstrlib.c's MAXCCALLS: how deep match() may recurse before "pattern too complex". */
    private static final int MAX_CALLS = 200;
    /** LUA_MAXCAPTURES. */
    private static final int MAX_CAPTURES = 32;
    private static final int CAP_UNFINISHED = -1;
    private static final int CAP_POSITION = -2;
    private static final int ESC = '%';
    private static final int STEPS_PER_CHECK = 1 << 14;

    private final LibraryLimits limits;
    final byte[] src;
    final int srcInit;
    final int srcEnd;
    private final byte[] pat;
    private final int patEnd;
    private int matchDepth;
    private int steps;
    int level;
    private final int[] captureInit = new int[MAX_CAPTURES];
    private final int[] captureLen = new int[MAX_CAPTURES];

    PatternMatch(LuaString subject, LuaString pattern, LibraryLimits limits) {
        this.limits = limits;
        this.src = subject.m_bytes;
        this.srcInit = subject.m_offset;
        this.srcEnd = subject.m_offset + subject.m_length;
        this.pat = pattern.m_bytes;
        this.patEnd = pattern.m_offset + pattern.m_length;
    }

    /** reprepstate: before each attempt. */
    void reset() {
        level = 0;
        matchDepth = MAX_CALLS;
    }

    private int p(int i) {
        return i < patEnd ? pat[i] & 0xff : 0;
    }

    private int s(int i) {
        return i < srcEnd ? src[i] & 0xff : 0;
    }

    private void step() {
        if (++steps == STEPS_PER_CHECK) {
            steps = 0;
            limits.check();
        }
    }

    private int checkCapture(int l) {
        l -= '1';
        if (l < 0 || l >= level || captureLen[l] == CAP_UNFINISHED) {
            throw new LuaError("invalid capture index %" + (l + 1));
        }
        return l;
    }

    private int captureToClose() {
        int l = level;
        for (l--; l >= 0; l--) {
            if (captureLen[l] == CAP_UNFINISHED) {
                return l;
            }
        }
        throw new LuaError("invalid pattern capture");
    }

    private int classEnd(int pi) {
        int c = p(pi++);
        if (c == ESC) {
            if (pi >= patEnd) {
                throw new LuaError("malformed pattern (ends with '%')");
            }
            return pi + 1;
        }
        if (c == '[') {
            if (p(pi) == '^') {
                pi++;
            }
            do {
                if (pi >= patEnd) {
                    throw new LuaError("malformed pattern (missing ']')");
                }
                if (p(pi++) == ESC && pi < patEnd) {
                    pi++;
                }
            } while (p(pi) != ']');
            return pi + 1;
        }
        return pi;
    }

    /** {@code pi} is the '[', {@code ec} the closing ']'. */
    private boolean matchBracketClass(int c, int pi, int ec) {
        boolean sig = true;
        if (p(pi + 1) == '^') {
            sig = false;
            pi++;
        }
        while (++pi < ec) {
            if (p(pi) == ESC) {
                pi++;
                if (CLocale.matchClass(c, p(pi))) {
                    return sig;
                }
            } else if (p(pi + 1) == '-' && pi + 2 < ec) {
                pi += 2;
                if (p(pi - 2) <= c && c <= p(pi)) {
                    return sig;
                }
            } else if (p(pi) == c) {
                return sig;
            }
        }
        return !sig;
    }

    private boolean singleMatch(int si, int pi, int ep) {
        if (si >= srcEnd) {
            return false;
        }
        int c = src[si] & 0xff;
        return switch (p(pi)) {
            case '.' -> true;
            case ESC -> CLocale.matchClass(c, p(pi + 1));
            case '[' -> matchBracketClass(c, pi, ep - 1);
            default -> p(pi) == c;
        };
    }

    private int matchBalance(int si, int pi) {
        if (pi >= patEnd - 1) {
            throw new LuaError("malformed pattern (missing arguments to '%b')");
        }
        if (si >= srcEnd || (src[si] & 0xff) != p(pi)) {
            return -1;
        }
        int b = p(pi);
        int e = p(pi + 1);
        int cont = 1;
        while (++si < srcEnd) {
            step();
            int c = src[si] & 0xff;
            if (c == e) {
                if (--cont == 0) {
                    return si + 1;
                }
            } else if (c == b) {
                cont++;
            }
        }
        return -1;
    }

    private int maxExpand(int si, int pi, int ep) {
        int i = 0;
        while (singleMatch(si + i, pi, ep)) {
            step();
            i++;
        }
        while (i >= 0) {
            int res = match(si + i, ep + 1);
            if (res >= 0) {
                return res;
            }
            i--;
        }
        return -1;
    }

    private int minExpand(int si, int pi, int ep) {
        for (;;) {
            int res = match(si, ep + 1);
            if (res >= 0) {
                return res;
            } else if (singleMatch(si, pi, ep)) {
                si++;
            } else {
                return -1;
            }
        }
    }

    private int startCapture(int si, int pi, int what) {
        if (level >= MAX_CAPTURES) {
            throw new LuaError("too many captures");
        }
        captureInit[level] = si;
        captureLen[level] = what;
        level++;
        int res = match(si, pi);
        if (res < 0) {
            level--;
        }
        return res;
    }

    private int endCapture(int si, int pi) {
        int l = captureToClose();
        captureLen[l] = si - captureInit[l];
        int res = match(si, pi);
        if (res < 0) {
            captureLen[l] = CAP_UNFINISHED;
        }
        return res;
    }

    private int matchCapture(int si, int l) {
        l = checkCapture(l);
        int len = captureLen[l];
        if (srcEnd - si >= len && java.util.Arrays.equals(src, captureInit[l], captureInit[l] + len, src, si, si + len)) {
            return si + len;
        }
        return -1;
    }

    /** The end of a match of the pattern from {@code pi} at subject index {@code si}, or -1. */
    int match(int si, int pi) {
        if (matchDepth-- == 0) {
            throw new LuaError("pattern too complex");
        }
        step();
        init:
        while (pi != patEnd) {
            switch (p(pi)) {
                case '(' -> {
                    si = p(pi + 1) == ')' ? startCapture(si, pi + 2, CAP_POSITION) : startCapture(si, pi + 1, CAP_UNFINISHED);
                    break init;
                }
                case ')' -> {
                    si = endCapture(si, pi + 1);
                    break init;
                }
                case '$' -> {
                    if (pi + 1 == patEnd) {
                        si = si == srcEnd ? si : -1;
                        break init;
                    }
                }
                case ESC -> {
                    int next = p(pi + 1);
                    if (next == 'b') {
                        si = matchBalance(si, pi + 2);
                        if (si >= 0) {
                            pi += 4;
                            continue init;
                        }
                        break init;
                    } else if (next == 'f') {
                        pi += 2;
                        if (p(pi) != '[') {
                            throw new LuaError("missing '[' after '%f' in pattern");
                        }
                        int ep = classEnd(pi);
                        int previous = si == srcInit ? 0 : src[si - 1] & 0xff;
                        if (!matchBracketClass(previous, pi, ep - 1) && matchBracketClass(s(si), pi, ep - 1)) {
                            pi = ep;
                            continue init;
                        }
                        si = -1;
                        break init;
                    } else if (CLocale.isDigit(next)) {
                        si = matchCapture(si, next);
                        if (si >= 0) {
                            pi += 2;
                            continue init;
                        }
                        break init;
                    }
                }
                default -> {
                }
            }
            // dflt: a single-character class, possibly followed by a repetition.
            int ep = classEnd(pi);
            int epc = p(ep);
            if (!singleMatch(si, pi, ep)) {
                if (epc == '*' || epc == '?' || epc == '-') {
                    pi = ep + 1;
                    continue;
                }
                si = -1;
                break;
            }
            switch (epc) {
                case '?' -> {
                    int res = match(si + 1, ep + 1);
                    if (res >= 0) {
                        si = res;
                        break init;
                    }
                    pi = ep + 1;
                }
                case '+' -> {
                    si = maxExpand(si + 1, pi, ep);
                    break init;
                }
                case '*' -> {
                    si = maxExpand(si, pi, ep);
                    break init;
                }
                case '-' -> {
                    si = minExpand(si, pi, ep);
                    break init;
                }
                default -> {
                    si++;
                    pi = ep;
                }
            }
        }
        matchDepth++;
        return si;
    }

    /** Capture {@code i} (0-based) of the match [s, e): a string, a position, or the whole match. */
    LuaValue capture(int i, int s, int e) {
        if (i >= level) {
            if (i == 0) {
                return LuaString.valueOf(src, s, e - s);
            }
            throw new LuaError("invalid capture index %" + (i + 1));
        }
        int l = captureLen[i];
        if (l == CAP_UNFINISHED) {
            throw new LuaError("unfinished capture");
        }
        if (l == CAP_POSITION) {
            return LuaValue.valueOf(captureInit[i] - srcInit + 1);
        }
        return LuaString.valueOf(src, captureInit[i], l);
    }

    /**
     * push_captures: all captures, or the whole match when there are none and {@code wholeIfNone}
     * (find passes false: it returns positions instead).
     */
    Varargs captures(int s, int e, boolean wholeIfNone) {
        int n = level == 0 && wholeIfNone ? 1 : level;
        if (n == 0) {
            return LuaValue.NONE;
        }
        if (n == 1) {
            return capture(0, s, e);
        }
        LuaValue[] out = new LuaValue[n];
        for (int i = 0; i < n; i++) {
            out[i] = capture(i, s, e);
        }
        return LuaValue.varargsOf(out);
    }
}
