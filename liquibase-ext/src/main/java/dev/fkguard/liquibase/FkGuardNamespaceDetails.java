package dev.fkguard.liquibase;

import liquibase.parser.LiquibaseParser;
import liquibase.parser.NamespaceDetails;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;
import liquibase.serializer.LiquibaseSerializer;
import liquibase.serializer.core.xml.XMLChangeLogSerializer;

/** Tells Liquibase's XML parser and serializer about fkguard's namespace, its prefix and its XSD. */
public class FkGuardNamespaceDetails implements NamespaceDetails {
    /** The XML namespace of the {@code syncForeignKeyTriggers} element. */
    public static final String NAMESPACE = "https://fkguard.dev/xml/ns/liquibase";
    /** Where the XSD is declared; Liquibase finds it on the class path at fkguard.dev/xml/ns/liquibase/... */
    public static final String XSD = "https://fkguard.dev/xml/ns/liquibase/fkguard-liquibase-1.0.xsd";

    @Override
    public int getPriority() {
        return PRIORITY_EXTENSION;
    }

    @Override
    public boolean supports(LiquibaseSerializer serializer, String namespaceOrUrl) {
        return serializer instanceof XMLChangeLogSerializer && ours(namespaceOrUrl);
    }

    @Override
    public boolean supports(LiquibaseParser parser, String namespaceOrUrl) {
        return parser instanceof XMLChangeLogSAXParser && ours(namespaceOrUrl);
    }

    @Override
    public String getShortName(String namespaceOrUrl) {
        return "fkguard";
    }

    @Override
    public String getSchemaUrl(String namespaceOrUrl) {
        return XSD;
    }

    @Override
    public String[] getNamespaces() {
        return new String[]{NAMESPACE};
    }

    private static boolean ours(String namespaceOrUrl) {
        return namespaceOrUrl != null && (namespaceOrUrl.equals(NAMESPACE) || namespaceOrUrl.equals(XSD));
    }
}
