package io.luagate.e2e.corpus;

import java.util.ArrayList;
import java.util.List;

/** A readable line diff of two recordings ("-" HAProxy, "+" luagate), with a little context. */
final class LineDiff {

    private static final int CONTEXT = 3;

    private LineDiff() {
    }

    static String of(String expected, String actual) {
        List<String> a = List.of(expected.split("\n", -1));
        List<String> b = List.of(actual.split("\n", -1));
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder lines = new StringBuilder();
        List<String> all = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                all.add("  " + a.get(i++));
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
                all.add("+ " + b.get(j++));
            } else {
                all.add("- " + a.get(i++));
            }
        }
        int lastPrinted = -1;
        for (int k = 0; k < all.size(); k++) {
            if (all.get(k).startsWith("  ")) {
                continue;
            }
            int from = Math.max(lastPrinted + 1, k - CONTEXT);
            if (lastPrinted >= 0 && from > lastPrinted + 1) {
                lines.append("  ...\n");
            }
            int to = Math.min(all.size() - 1, k + CONTEXT);
            for (int m = from; m <= to; m++) {
                lines.append(all.get(m)).append('\n');
            }
            lastPrinted = to;
        }
        return lines.toString();
    }
}
