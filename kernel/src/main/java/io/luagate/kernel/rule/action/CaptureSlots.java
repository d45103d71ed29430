package io.luagate.kernel.rule.action;

/**
 * The capture slots one list of rules declares ({@code http-request capture <expr> len <n>}
 * adds one, numbered from 0 in order), which {@code capture <expr> id <n>} may then fill.
 */
public final class CaptureSlots {

    private int count;

    int allocate() {
        return count++;
    }

    boolean exists(int id) {
        return id >= 0 && id < count;
    }
}
