package io.luagate.kernel.rule.acl;

import io.luagate.spi.rule.Transaction;

/**
 * A compiled {@code if}/{@code unless} condition: alternatives ({@code ||}) of terms that must all
 * hold (implicit "and"), each term an ACL, possibly negated ({@code !}). Evaluation stops as soon
 * as the result is known.
 */
public final class Condition {

    /**
     * One term: an ACL name's definitions (a name defined several times matches if any
     * definition does, as in HAProxy) and whether it is negated.
     */
    record Term(Acl[] acls, boolean negated) {

        boolean holds(Transaction txn) {
            for (Acl acl : acls) {
                if (acl.test(txn)) {
                    return !negated;
                }
            }
            return negated;
        }
    }

    private final Term[][] alternatives;
    private final boolean unless;
    private final String text;

    Condition(Term[][] alternatives, boolean unless, String text) {
        this.alternatives = alternatives;
        this.unless = unless;
        this.text = text;
    }

    public boolean test(Transaction txn) {
        boolean result = false;
        for (Term[] all : alternatives) {
            boolean allHold = true;
            for (Term term : all) {
                if (!term.holds(txn)) {
                    allHold = false;
                    break;
                }
            }
            if (allHold) {
                result = true;
                break;
            }
        }
        return result != unless;
    }

    /** Whether this is an {@code unless} condition. */
    public boolean unless() {
        return unless;
    }

    @Override
    public String toString() {
        return text;
    }
}
