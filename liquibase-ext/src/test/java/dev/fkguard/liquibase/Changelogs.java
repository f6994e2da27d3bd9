package dev.fkguard.liquibase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small changelogs written by a test next to its database. */
final class Changelogs {
    static final String XML_HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\"\n"
            + "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
            + "    xmlns:fkguard=\"https://fkguard.dev/xml/ns/liquibase\"\n"
            + "    xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
            + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd"
            + " https://fkguard.dev/xml/ns/liquibase https://fkguard.dev/xml/ns/liquibase/fkguard-liquibase-1.0.xsd\">\n";

    private Changelogs() {
    }

    /** Writes {@code body} (the changeSets) into an XML changelog declaring fkguard's namespace and XSD. */
    static Path xml(Path dir, String name, String body) throws IOException {
        return write(dir, name, XML_HEADER + body + "\n</databaseChangeLog>\n");
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
