package dev.fkguard.flyway;

import org.flywaydb.core.api.callback.Callback;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot auto-configuration: contributes the fkguard callback as a bean named {@value #BEAN_NAME}. Spring
 * Boot hands every {@link Callback} bean to Flyway, so the dependency alone is enough. Settings:
 * {@code spring.flyway.placeholders.fkguard.mode} and the other fkguard placeholders. An application bean of the
 * same name (for instance {@code new FkGuardCallback(settings)}) replaces this one.
 *
 * <p>The jar's Flyway plugin would sync without this bean too; the bean makes the callback visible as a Spring bean,
 * replaceable by name, and, being configured, it is the one that acts (the plugin then stays out).
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.flywaydb.core.Flyway")
public class FkGuardFlywayAutoConfiguration {

    /** The name of the contributed bean. */
    public static final String BEAN_NAME = "fkGuardFlywayCallback";

    @Bean(name = BEAN_NAME)
    @ConditionalOnMissingBean(name = BEAN_NAME)
    public Callback fkGuardFlywayCallback() {
        return new FkGuardCallback();
    }
}
