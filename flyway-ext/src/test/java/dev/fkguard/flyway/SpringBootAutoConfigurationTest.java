package dev.fkguard.flyway;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Spring Boot: the jar on the classpath is all it takes; the application's own callbacks keep running. */
class SpringBootAutoConfigurationTest {

    @TempDir
    Path dir;
    SqliteFixture db;

    @BeforeEach
    void migrations() throws Exception {
        db = new SqliteFixture(dir).small();
    }

    private ConfigurableApplicationContext run(Class<?> app, String... properties) {
        return new SpringApplicationBuilder(app)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "test.sqlite.url=" + db.url(),
                        "spring.flyway.locations=" + db.location())
                .properties(properties)
                .run();
    }

    @Test
    void anApplicationWithASqliteDataSourceEndsWithTriggersInstalled() throws Exception {
        try (ConfigurableApplicationContext ctx = run(SpringBootMain.App.class)) {
            assertEquals(1, ctx.getBeansOfType(Callback.class).size());
        }
        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Album VALUES (9, 'x', 999)");
    }

    @Test
    void theApplicationsOwnCallbackBeansStillRun() throws Exception {
        try (ConfigurableApplicationContext ctx = run(AppWithCallback.class)) {
            assertEquals(List.of(Event.AFTER_MIGRATE), ctx.getBean(RecordingCallback.class).seen);
        }
        db.assertTriggersEqualPlan();
    }

    @Test
    void settingsComeFromSpringFlywayPlaceholders() throws Exception {
        try (ConfigurableApplicationContext ignored = run(SpringBootMain.App.class, "spring.flyway.placeholders.fkguard-mode=off")) {
            assertEquals(Map.of(), db.fkguardTriggers());
        }
    }

    @Test
    void anFkguardCallbackBeanOfTheApplicationReplacesTheAutoConfiguredOne() throws Exception {
        try (ConfigurableApplicationContext ctx = run(AppWithOwnFkGuard.class)) {
            assertEquals(1, ctx.getBeansOfType(Callback.class).size());
        }
        assertEquals(Map.of(), db.fkguardTriggers(), "the application's bean (mode off) is the one that acted");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AppWithCallback extends SpringBootMain.App {
        @Bean
        RecordingCallback recordingCallback() {
            return new RecordingCallback();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class AppWithOwnFkGuard extends SpringBootMain.App {
        @Bean(name = FkGuardFlywayAutoConfiguration.BEAN_NAME)
        Callback ownFkGuard() {
            return new FkGuardCallback(FkGuardFlywaySettings.defaults().withMode(FkGuardFlywaySettings.Mode.OFF));
        }
    }
}
