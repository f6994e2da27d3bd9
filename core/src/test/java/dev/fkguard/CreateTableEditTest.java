package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CREATE TABLE text editor, on text alone; FkGuardForeignKeyTest checks the results against SQLite itself. */
class CreateTableEditTest {
    private static final String KEY = "FOREIGN KEY (\"b\") REFERENCES \"p\"";

    @Test
    void aConstraintGoesAfterTheLastColumnBeforeTheClosingParenthesis() {
        assertEquals("CREATE TABLE t (a INTEGER PRIMARY KEY, b INT, " + KEY + ")",
                CreateTableEdit.addConstraint("CREATE TABLE t (a INTEGER PRIMARY KEY, b INT)", KEY));
    }

    @Test
    void tableOptionsAfterTheColumnListStayAfterIt() {
        assertEquals("CREATE TABLE t(a INT PRIMARY KEY, b INT, " + KEY + ") WITHOUT ROWID, STRICT",
                CreateTableEdit.addConstraint("CREATE TABLE t(a INT PRIMARY KEY, b INT) WITHOUT ROWID, STRICT", KEY));
    }

    @Test
    void parenthesesInsideStringsQuotedNamesCommentsAndChecksDoNotCount() {
        String sql = "CREATE TABLE \"we(ird)\" ([x)] TEXT DEFAULT ')', b INT CHECK (b > (0)) /* ) */, `c)` -- )\n)";
        assertEquals("CREATE TABLE \"we(ird)\" ([x)] TEXT DEFAULT ')', b INT CHECK (b > (0)) /* ) */, `c)`, " + KEY
                + " -- )\n)", CreateTableEdit.addConstraint(sql, KEY));
    }

    @Test
    void aConstraintAfterExistingTableConstraintsComesLast() {
        String sql = "CREATE TABLE t(a, b, PRIMARY KEY (a), UNIQUE (b))";
        assertEquals("CREATE TABLE t(a, b, PRIMARY KEY (a), UNIQUE (b), " + KEY + ")", CreateTableEdit.addConstraint(sql, KEY));
    }

    @Test
    void addingThenRemovingTheLastReferenceGivesBackTheOriginalText() {
        String sql = "CREATE TABLE t (\n  a INTEGER PRIMARY KEY, -- the id\n  b INT REFERENCES p\n) STRICT";
        String added = CreateTableEdit.addConstraint(sql, "CONSTRAINT fk_b " + KEY + " ON DELETE CASCADE");
        List<CreateTableEdit.Reference> refs = CreateTableEdit.references(added);
        assertEquals(2, refs.size());
        assertEquals("fk_b", refs.get(1).name());
        assertEquals(sql, CreateTableEdit.remove(added, refs.get(1)));
    }

    @Test
    void aColumnsReferencesClauseIsRemovedWithItsActionsAndNameButNotTheColumnsOtherConstraints() {
        String sql = "CREATE TABLE t(a INTEGER PRIMARY KEY, b INT CONSTRAINT fk REFERENCES p(id) ON DELETE SET NULL"
                + " ON UPDATE NO ACTION MATCH FULL NOT DEFERRABLE INITIALLY IMMEDIATE NOT NULL DEFAULT 1, c TEXT)";
        CreateTableEdit.Reference ref = CreateTableEdit.references(sql).get(0);
        assertEquals("fk", ref.name());
        assertEquals("CREATE TABLE t(a INTEGER PRIMARY KEY, b INT NOT NULL DEFAULT 1, c TEXT)", CreateTableEdit.remove(sql, ref));
    }

    @Test
    void aTableForeignKeyIsRemovedWithTheCommaBeforeIt() {
        String sql = "CREATE TABLE [t] (a, b, CONSTRAINT [fk one] FOREIGN KEY ([b]) REFERENCES [p] ([id]), CHECK (a > 0))";
        CreateTableEdit.Reference ref = CreateTableEdit.references(sql).get(0);
        assertEquals("fk one", ref.name());
        assertEquals("CREATE TABLE [t] (a, b, CHECK (a > 0))", CreateTableEdit.remove(sql, ref));
    }

    @Test
    void tableConstraintsWrittenWithoutCommasBetweenThemAreSeparated() {
        String sql = "CREATE TABLE t(a, b, PRIMARY KEY (a) FOREIGN KEY (b) REFERENCES p UNIQUE (b))";
        List<CreateTableEdit.Reference> refs = CreateTableEdit.references(sql);
        assertEquals(1, refs.size());
        assertNull(refs.get(0).name());
        assertEquals("CREATE TABLE t(a, b, PRIMARY KEY (a) UNIQUE (b))", CreateTableEdit.remove(sql, refs.get(0)));
    }

    @Test
    void referencesComeInDeclarationOrderColumnsFirst() {
        String sql = "CREATE TABLE t(a REFERENCES p1, b CONSTRAINT two REFERENCES p2, FOREIGN KEY (a, b) REFERENCES p3,"
                + " CONSTRAINT four FOREIGN KEY (b) REFERENCES p4)";
        List<CreateTableEdit.Reference> refs = CreateTableEdit.references(sql);
        assertEquals(4, refs.size());
        assertEquals("two", refs.get(1).name());
        assertEquals("four", refs.get(3).name());
        assertTrue(refs.get(2).tableConstraint());
    }

    @Test
    void constraintNamesAreReadFromEveryConstraintAndCompareCaseInsensitively() {
        Set<String> names = CreateTableEdit.constraintNames(
                "CREATE TABLE t(a INT CONSTRAINT pk PRIMARY KEY, b CHECK (b IN ('CONSTRAINT x')), CONSTRAINT \"U q\" UNIQUE (b))");
        assertEquals(2, names.size());
        assertTrue(names.contains("PK"));
        assertTrue(names.contains("u Q"));
    }

    @Test
    void aStatementWithoutAColumnListIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> CreateTableEdit.addConstraint("CREATE VIRTUAL TABLE v USING fts5(x)", KEY));
    }

    @Test
    void theClauseQuotesEveryNameAndLeavesOutNoAction() {
        assertEquals("CONSTRAINT \"fk\"\"x\" FOREIGN KEY (\"a\", \"b c\") REFERENCES \"p\" (\"x\", \"y\") ON UPDATE CASCADE",
                CreateTableEdit.foreignKeyClause("fk\"x", List.of("a", "b c"), "p", List.of("x", "y"), "NO ACTION", "CASCADE"));
    }
}
