package db.fkguardjava.rebuild;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Statement;

/** A Java migration that rebuilds the parent table Artist the 12-step way. */
public class V3__java_rebuild extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        try (Statement st = context.getConnection().createStatement()) {
            st.execute("CREATE TABLE Artist_new (ArtistId INTEGER PRIMARY KEY, Name TEXT, Country TEXT)");
            st.execute("INSERT INTO Artist_new (ArtistId, Name) SELECT ArtistId, Name FROM Artist");
            st.execute("DROP TABLE Artist");
            st.execute("ALTER TABLE Artist_new RENAME TO Artist");
        }
    }
}
