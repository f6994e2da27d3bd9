package dev.fkguard.flyway;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Spring Boot auto-configuration: contributes the fkguard callback as a bean named {@value #BEAN_NAME}. Spring
 * Boot hands every {@link Callback} bean to Flyway, so the dependency alone is enough. Settings:
 * {@code spring.flyway.placeholders.fkguard.mode} and the other fkguard placeholders. An application bean of the
 * same name (for instance {@code new FkGuardCallback(settings)}) replaces this one.
 *
 * <p>The jar's Flyway plugin would sync without this bean too; the bean makes the callback visible as a Spring bean,
 * replaceable by name, and, being configured, it is the one that acts (the plugin then stays out).
 *
 * <p>Flyway older than 11.16.0 cannot load the jar's plugin and stops with a {@code NoClassDefFoundError}. Spring Boot
 * 3.5 and 4.0 manage such versions, so before any bean is created this configuration checks the Flyway on the class
 * path and stops the application with a message that says what to change instead.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.flywaydb.core.Flyway")
public class FkGuardFlywayAutoConfiguration {

    /** The name of the contributed bean. */
    public static final String BEAN_NAME = "fkGuardFlywayCallback";

    /** The oldest Flyway that can load the jar's plugin ({@link FkGuardFlywayPlugin}). */
    static final String OLDEST_FLYWAY = "11.16.0";

    @Bean
    static BeanFactoryPostProcessor fkGuardFlywayVersionCheck() {
        return beanFactory -> requireSupportedFlyway(Flyway.class.getClassLoader());
    }

    @Bean(name = BEAN_NAME)
    @ConditionalOnMissingBean(name = BEAN_NAME)
    public Callback fkGuardFlywayCallback() {
        return new FkGuardCallback();
    }

    /** Throws, naming the fix, when the Flyway visible to {@code loader} is older than {@value #OLDEST_FLYWAY}. */
    static void requireSupportedFlyway(ClassLoader loader) {
        try {
            Class.forName("org.flywaydb.core.internal.callback.InternalCallback", false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("fkguard-flyway needs Flyway " + OLDEST_FLYWAY + " or later, and this"
                    + " application has Flyway " + flywayVersion(loader) + ". Spring Boot 3.5 manages Flyway 11.7.2 and"
                    + " Spring Boot 4.0 manages 11.14.1: set the flyway.version property to " + OLDEST_FLYWAY
                    + " or later (on Spring Boot 3.5, a version from 11.16 to 11.20), or remove fkguard-flyway."
                    + " Spring Boot 4.1 and later need no change.");
        }
    }

    /** The flyway-core version visible to {@code loader}, from its Maven metadata. */
    static String flywayVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.flywaydb/flyway-core/pom.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }
}
