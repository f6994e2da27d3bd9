package dev.fkguard.it;

import static dev.fkguard.it.Tools.assertHealthy;
import static dev.fkguard.it.Tools.assertOk;
import static dev.fkguard.it.Tools.assertShellRefuses;
import static dev.fkguard.it.Tools.fkguardRun;
import static dev.fkguard.it.Tools.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fkguard.Report;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fkguard run app.db -- <tool>} around the real tools that rebuild tables behind fkguard's
 * back, each in a process of its own. Every test ends with what {@code fkguard check} says and with a
 * plain sqlite3 shell (foreign_keys off) refused on a violation.
 */
class OtherToolsTest {
    @TempDir
    Path dir;

    private Path bookshop() throws SQLException {
        Path db = dir.resolve("app.db");
        exec(db, "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author(id), title TEXT,"
                        + " editor_id INTEGER)",
                "CREATE TABLE review (id INTEGER PRIMARY KEY, book_id INTEGER REFERENCES book(id), body TEXT)",
                "INSERT INTO author VALUES (1, 'Ann')", "INSERT INTO book VALUES (1, 1, 'First', NULL)",
                "INSERT INTO review VALUES (1, 1, 'Good')");
        assertTrue(Tools.sync(db).problems().isEmpty());
        return db;
    }

    private static void exec(Path db, String... sql) throws SQLException {
        try (Connection c = Tools.open(db); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static long count(Path db, String sql) throws SQLException {
        try (Connection c = Tools.open(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------ Django

    /** A minimal Django project whose app has two migrations: 0001 creates the tables, 0002 remakes shop_book. */
    private Path djangoProject() throws Exception {
        Tools.requirePythonModule("python3-django", "django");
        Tools.requireSqlite3();
        write(dir.resolve("manage.py"), """
                import os, sys
                os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
                from django.core.management import execute_from_command_line
                execute_from_command_line(sys.argv)
                """);
        write(dir.resolve("settings.py"), """
                SECRET_KEY = "test"
                INSTALLED_APPS = ["shop"]
                DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "app.db"}}
                DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
                """);
        write(dir.resolve("shop/__init__.py"), "");
        write(dir.resolve("shop/models.py"), """
                from django.db import models

                class Author(models.Model):
                    name = models.CharField(max_length=50)

                class Book(models.Model):
                    author = models.ForeignKey(Author, on_delete=models.CASCADE)
                    title = models.CharField(max_length=50)
                    isbn = models.CharField(max_length=13, default="")
                """);
        write(dir.resolve("shop/migrations/__init__.py"), "");
        write(dir.resolve("shop/migrations/0001_initial.py"), """
                from django.db import migrations, models
                import django.db.models.deletion

                class Migration(migrations.Migration):
                    initial = True
                    dependencies = []
                    operations = [
                        migrations.CreateModel(name="Author", fields=[
                            ("id", models.AutoField(primary_key=True, serialize=False)),
                            ("name", models.CharField(max_length=50))]),
                        migrations.CreateModel(name="Book", fields=[
                            ("id", models.AutoField(primary_key=True, serialize=False)),
                            ("title", models.CharField(max_length=50)),
                            ("author", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="shop.author"))]),
                    ]
                """);
        // AddField: Django 3.2 on SQLite remakes the table (new__shop_book, copy, drop, rename)
        write(dir.resolve("shop/migrations/0002_book_isbn.py"), """
                from django.db import migrations, models

                class Migration(migrations.Migration):
                    dependencies = [("shop", "0001_initial")]
                    operations = [migrations.AddField(model_name="book", name="isbn",
                                                      field=models.CharField(default="", max_length=13))]
                """);
        assertOk(Tools.run(dir, null, Tools.PYTHON, "manage.py", "migrate", "shop", "0001"));
        Path db = dir.resolve("app.db");
        exec(db, "INSERT INTO shop_author VALUES (1, 'Ann')", "INSERT INTO shop_book VALUES (1, 'First', 1)");
        assertEquals(4, Tools.sync(db).created().size(), "ins, upd, pdel, pupd for shop_book(author_id)");
        return db;
    }

    @Test
    void withoutFkguardRunDjangosTableRemakeFailsOnTheTriggers() throws Exception {
        Path db = djangoProject();

        Tools.Result migrate = Tools.run(dir, null, Tools.PYTHON, "manage.py", "migrate");

        assertEquals(1, migrate.status(), migrate.both());
        assertTrue(migrate.err().contains("error in trigger fkguard_shop_author_pdel_"), migrate.err());
        assertTrue(migrate.err().contains("no such table: main.shop_book"), migrate.err());
        assertEquals(1, count(db, "SELECT count(*) FROM shop_book"), "Django rolled its migration back");
    }

    @Test
    void aDjangoMigrationThatRemakesATableRunsUnderFkguardRunAndEveryKeyIsEnforcedAfterwards() throws Exception {
        Path db = djangoProject();

        Tools.Result run = fkguardRun(dir, null, "app.db", Tools.PYTHON, "manage.py", "migrate");

        assertOk(run);
        assertTrue(run.out().contains("Applying shop.0002_book_isbn... OK"), run.both());
        assertEquals(1, count(db, "SELECT count(*) FROM shop_book WHERE isbn = '' AND author_id = 1"));
        assertHealthy(db);
        assertShellRefuses(db, "INSERT INTO shop_book (title, isbn, author_id) VALUES ('x', '', 999)",
                "shop_book(author_id) -> shop_author(id)");
        assertShellRefuses(db, "DELETE FROM shop_author", "shop_book(author_id) -> shop_author(id)");
    }

    // ------------------------------------------------------------------ Alembic

    private void alembic(String revisionBody) throws Exception {
        write(dir.resolve("alembic.ini"), """
                [alembic]
                script_location = migrations
                sqlalchemy.url = sqlite:///app.db
                """);
        write(dir.resolve("migrations/env.py"), """
                from alembic import context
                from sqlalchemy import create_engine

                engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
                with engine.connect() as connection:
                    context.configure(connection=connection, render_as_batch=True)
                    with context.begin_transaction():
                        context.run_migrations()
                """);
        write(dir.resolve("migrations/versions/0001_change.py"), """
                from alembic import op
                import sqlalchemy as sa

                revision = "0001"
                down_revision = None

                def upgrade():
                """ + revisionBody);
    }

    @Test
    void anAlembicBatchAlterTableOnAParentRunsUnderFkguardRunAndItsChildrenStayHeldToIt() throws Exception {
        Tools.requirePythonModule("python3-alembic", "alembic");
        Tools.requireSqlite3();
        Path db = bookshop();
        alembic("""
                    with op.batch_alter_table("author", recreate="always") as batch:
                        batch.add_column(sa.Column("born", sa.Integer))
                """);

        Tools.Result run = fkguardRun(dir, null, "app.db", Tools.PYTHON, "-m", "alembic", "upgrade", "head");

        assertOk(run);
        assertEquals(1, count(db, "SELECT count(*) FROM pragma_table_info('author') WHERE name = 'born'"));
        assertHealthy(db);
        assertShellRefuses(db, "DELETE FROM author WHERE id = 1", "book(author_id) -> author(id)");
        assertShellRefuses(db, "INSERT INTO book (id, author_id) VALUES (2, 999)", "book(author_id) -> author(id)");
    }

    @Test
    void anAlembicBatchAlterTableOnAChildRunsUnderFkguardRunAndBothItsKeysAreEnforcedAfterwards() throws Exception {
        Tools.requirePythonModule("python3-alembic", "alembic");
        Tools.requireSqlite3();
        Path db = bookshop();
        alembic("""
                    with op.batch_alter_table("book", recreate="always") as batch:
                        batch.alter_column("title", new_column_name="name")
                """);

        Tools.Result run = fkguardRun(dir, null, "app.db", Tools.PYTHON, "-m", "alembic", "upgrade", "head");

        assertOk(run);
        assertEquals(1, count(db, "SELECT count(*) FROM book WHERE name = 'First'"));
        assertHealthy(db);
        assertShellRefuses(db, "INSERT INTO book (id, author_id, name) VALUES (2, 999, 'x')", "book(author_id) -> author(id)");
        assertShellRefuses(db, "DELETE FROM book WHERE id = 1", "review(book_id) -> book(id)");
    }

    // ------------------------------------------------------------------ sqlite-utils

    @Test
    void sqliteUtilsTransformRunsUnderFkguardRunAndTheRebuiltTableIsGuardedAgain() throws Exception {
        Tools.require("sqlite-utils", "sqlite-utils", "--version");
        Tools.requireSqlite3();
        Path db = bookshop();

        Tools.Result run = fkguardRun(dir, null, "app.db", "sqlite-utils", "transform", "app.db", "book",
                "--rename", "title", "name");

        assertOk(run);
        assertEquals(1, count(db, "SELECT count(*) FROM book WHERE name = 'First'"));
        assertHealthy(db);
        assertShellRefuses(db, "UPDATE book SET author_id = 999", "book(author_id) -> author(id)");
        assertShellRefuses(db, "DELETE FROM book", "review(book_id) -> book(id)");
    }

    @Test
    void aKeyAddedBySqliteUtilsAddForeignKeyIsEnforcedWhenFkguardRunEnds() throws Exception {
        Tools.require("sqlite-utils", "sqlite-utils", "--version");
        Tools.requireSqlite3();
        Path db = bookshop();

        Tools.Result run = fkguardRun(dir, null, "app.db", "sqlite-utils", "add-foreign-key", "app.db", "book",
                "editor_id", "author", "id");

        assertOk(run);
        assertTrue(run.err().contains("for 3 foreign keys"), run.err());
        assertHealthy(db);
        assertShellRefuses(db, "UPDATE book SET editor_id = 999", "book(editor_id) -> author(id)");
    }

    // ------------------------------------------------------------------ the sqlite3 shell

    @Test
    void theTwelveStepRebuildFromSqlitesAlterTablePageRunsInTheShellUnderFkguardRun() throws Exception {
        Tools.requireSqlite3();
        Path db = bookshop();
        Path change = write(dir.resolve("change.sql"), """
                PRAGMA foreign_keys = OFF;
                BEGIN;
                CREATE TABLE new_book (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author(id),
                                       title TEXT NOT NULL DEFAULT '', editor_id INTEGER);
                INSERT INTO new_book SELECT id, author_id, coalesce(title, ''), editor_id FROM book;
                DROP TABLE book;
                ALTER TABLE new_book RENAME TO book;
                PRAGMA foreign_key_check;
                COMMIT;
                """);

        // the script reaches the shell through fkguard's own stdin
        Tools.Result run = fkguardRun(dir, change, "app.db", "sqlite3", "-bail", "app.db");

        assertOk(run);
        assertEquals(1, count(db, "SELECT count(*) FROM pragma_table_info('book') WHERE name = 'title' AND \"notnull\" = 1"));
        assertHealthy(db);
        assertShellRefuses(db, "INSERT INTO book (id, author_id) VALUES (2, 999)", "book(author_id) -> author(id)");
        assertShellRefuses(db, "DELETE FROM book", "review(book_id) -> book(id)");
    }

    @Test
    void withoutFkguardRunARebuildFailsOnTheTriggersAndOnlyBailKeepsTheShellFromCommittingHalfOfIt() throws Exception {
        Tools.requireSqlite3();
        Path change = write(dir.resolve("change.sql"), """
                BEGIN;
                CREATE TABLE new_book (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author(id), title TEXT,
                                       editor_id INTEGER);
                INSERT INTO new_book SELECT * FROM book;
                DROP TABLE book;
                ALTER TABLE new_book RENAME TO book;
                COMMIT;
                """);
        Path db = bookshop();
        Tools.Result bail = Tools.run(dir, change, "sqlite3", "-bail", "app.db");
        assertEquals(1, bail.status(), bail.both());
        assertTrue(bail.err().contains("error in trigger fkguard_"), bail.err());
        assertEquals(1, count(db, "SELECT count(*) FROM book"), "rolled back: book is as it was");
        assertEquals(0, count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'new_book'"));

        Tools.Result noBail = Tools.run(dir, change, "sqlite3", "app.db");
        assertEquals(1, noBail.status(), noBail.both());
        assertEquals(0, count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'book'"), "committed: book is gone");
        assertEquals(1, count(db, "SELECT count(*) FROM new_book"), "and its rows sit in new_book");
    }

    @Test
    void aScriptThatFailsHalfWayGetsItsOwnStatusAndEveryKeyThatStillResolvesIsEnforced() throws Exception {
        Tools.requireSqlite3();
        Path db = bookshop();
        // no transaction: -bail stops at the typo, after book was dropped and before new_book was renamed
        Path change = write(dir.resolve("change.sql"), """
                CREATE TABLE new_book (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author(id), title TEXT,
                                       editor_id INTEGER);
                INSERT INTO new_book SELECT * FROM book;
                DROP TABLE book;
                ALTER TABLE new_book RENAM TO book;
                """);

        Tools.Result run = fkguardRun(dir, change, "app.db", "sqlite3", "-bail", "app.db");

        assertEquals(1, run.status(), run.both());
        assertTrue(run.err().contains("near \"RENAM\": syntax error"), run.err());
        assertTrue(run.err().contains("fkguard run: the command exited with status 1"), run.err());
        assertTrue(run.err().contains("foreign key review(book_id) -> book(id): parent table book does not exist"), run.err());
        Report check = Tools.check(db);
        assertEquals(List.of("review"), check.problems().stream().map(Report.Problem::table).toList(), check.describe());
        assertTrue(check.staleTriggers().isEmpty(), check.describe());
        assertShellRefuses(db, "INSERT INTO new_book (id, author_id) VALUES (2, 999)", "new_book(author_id) -> author(id)");
        assertShellRefuses(db, "DELETE FROM author", "new_book(author_id) -> author(id)");
    }

    @Test
    void aCommandThatWritesAnOrphanEndsWithStatusOneThatKeyReportedAndEveryOtherKeyEnforced() throws Exception {
        Tools.requireSqlite3();
        Path db = bookshop();

        Tools.Result run = fkguardRun(dir, null, "app.db", "sqlite3", "app.db",
                "INSERT INTO book (id, author_id, title) VALUES (9, 999, 'Orphan')");

        assertEquals(1, run.status(), run.both());
        assertTrue(run.err().contains("1 row of book breaks foreign key book(author_id) -> author(id): no parent row"
                + " matches (rowid 9)"), run.err());
        Report check = Tools.check(db);
        assertEquals(1, check.problems().size(), check.describe());
        assertEquals(List.of("author_id"), check.problems().get(0).columns());
        assertEquals(List.of("9"), check.problems().get(0).sampleRows());
        assertShellRefuses(db, "INSERT INTO review (id, book_id) VALUES (2, 999)", "review(book_id) -> book(id)");
        assertShellRefuses(db, "DELETE FROM book WHERE id = 1", "review(book_id) -> book(id)");
    }

    // ALTER TABLE ... ADD COLUMN ... REFERENCES with a non-NULL default, which native refuses on a table with rows:
    // fkguard run does not see the tool's statements, only the schema and rows it leaves

    @Test
    void anAddedReferencesColumnWhoseDefaultHasNoParentEndsWithStatusOneThatKeyReportedAndEveryOtherKeyEnforced() throws Exception {
        Tools.requireSqlite3();
        Path db = bookshop();

        Tools.Result run = fkguardRun(dir, null, "app.db", "sqlite3", "app.db",
                "ALTER TABLE book ADD COLUMN publisher_id INTEGER DEFAULT 7 REFERENCES author(id)");

        assertEquals(1, run.status(), run.both());
        assertTrue(run.err().contains("1 row of book breaks foreign key book(publisher_id) -> author(id): no parent row"
                + " matches (rowid 1)"), run.err());
        assertEquals(List.of("publisher_id"), Tools.check(db).problems().get(0).columns());
        assertShellRefuses(db, "INSERT INTO book (id, author_id) VALUES (2, 999)", "book(author_id) -> author(id)");
        assertShellRefuses(db, "DELETE FROM book WHERE id = 1", "review(book_id) -> book(id)");
    }

    @Test
    void anAddedReferencesColumnWhoseDefaultHasAParentPassesFkguardRunThoughNativeRefusesTheStatement() throws Exception {
        Tools.requireSqlite3();
        Path db = bookshop();
        String add = "ALTER TABLE book ADD COLUMN publisher_id INTEGER DEFAULT 1 REFERENCES author(id)";
        Tools.Result nativeShell = Tools.run(dir, null, "sqlite3", "-bail", "app.db", "PRAGMA foreign_keys = ON", add);
        assertTrue(nativeShell.err().contains("Cannot add a REFERENCES column with non-NULL default value"), nativeShell.both());

        Tools.Result run = fkguardRun(dir, null, "app.db", "sqlite3", "app.db", add);

        // the end state is the one a table rebuild reaches natively: every row's new key has its parent
        assertOk(run);
        assertHealthy(db);
        assertShellRefuses(db, "UPDATE book SET publisher_id = 999", "book(publisher_id) -> author(id)");
    }
}
