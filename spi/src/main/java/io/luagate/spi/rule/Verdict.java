package io.luagate.spi.rule;

/** What the rule list does after an action. */
public enum Verdict {
    /** Go on with the next rule. */
    CONTINUE,
    /** Stop evaluating this rule list and go on processing the request or response ({@code allow}). */
    ALLOW,
    /** Stop: the action produced the response (return, deny, redirect...). */
    STOP,
    /**
     * The rule cannot decide yet: its condition read data that may still grow (while
     * {@code tcp-request content} or {@code tcp-response content} rules inspect). The rules run
     * again when more data arrives.
     */
    WAIT,
    /**
     * The action goes on in the background and called {@link Transaction#suspend()}: the rules
     * stop here and continue when it resumes them.
     */
    PENDING
}
