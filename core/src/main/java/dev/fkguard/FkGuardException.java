package dev.fkguard;

import java.sql.SQLException;

/**
 * A sync refused: existing rows break a foreign key, or a foreign key is declared in a way SQLite
 * itself cannot enforce. Nothing was changed. {@link #report()} names every table and column concerned.
 */
public class FkGuardException extends SQLException {
    private final transient Report report;

    public FkGuardException(Report report) {
        super("fkguard refused to sync: " + report.describe());
        this.report = report;
    }

    /** A refusal of another operation than sync: {@code action} reads e.g. "add foreign key t(a) -> p(id)". */
    FkGuardException(String action, Report report) {
        super("fkguard refused to " + action + ": " + report.describe());
        this.report = report;
    }

    /** A refusal of a statement, whose report holds only the problem: {@code message} reads in full, without counts. */
    FkGuardException(Report report, String message) {
        super(message);
        this.report = report;
    }

    public FkGuardException(String message) {
        super(message);
        this.report = null;
    }

    /** The report behind the refusal, or null when the refusal is about the connection itself. */
    public Report report() {
        return report;
    }
}
