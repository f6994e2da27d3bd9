package db.fkguardjava.orphan;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Statement;

/** A Java migration (Flyway shows callbacks none of its statements) that leaves an album without its artist. */
public class V3__java_orphan extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        try (Statement st = context.getConnection().createStatement()) {
            st.execute("UPDATE Artist SET Name = 'changed by V3' WHERE ArtistId = 1");
            st.execute("INSERT INTO Album VALUES (3, 'Restless and Wild', 999)");
        }
    }
}
