package dev.fkguard;

import java.util.List;

/**
 * Reads {@link SqlText#tokenize tokens} front to back, for the small parsers that read statements and column
 * definitions ({@link StatementClassifier}, {@link ColumnDefinition}): keywords are bare words, names may be quoted.
 */
class SqlCursor {
    protected final List<SqlText.Token> tokens;
    protected int i;

    SqlCursor(List<SqlText.Token> tokens) {
        this.tokens = tokens;
    }

    final boolean atEnd() {
        return i >= tokens.size();
    }

    final SqlText.Token peek() {
        return tokens.get(i);
    }

    final SqlText.Token next() {
        return tokens.get(i++);
    }

    /** The bare {@code keyword} is next. */
    final boolean is(String keyword) {
        return !atEnd() && tokens.get(i).is(keyword);
    }

    /** Moves past the bare {@code keyword} if it is next. */
    final boolean accept(String keyword) {
        if (is(keyword)) {
            i++;
            return true;
        }
        return false;
    }

    /** Moves past the first of {@code keywords} that is next, if any: one of them at most. */
    final void skipAny(String... keywords) {
        for (String k : keywords) {
            if (accept(k)) {
                return;
            }
        }
    }

    /** Moves past each of {@code keywords} in turn where it is next: all of them optional, in this order. */
    final void skipEach(String... keywords) {
        for (String k : keywords) {
            accept(k);
        }
    }
}
