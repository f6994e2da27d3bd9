package dev.fkguard.flyway;

import org.flywaydb.core.api.callback.Callback;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;

/**
 * A Spring Boot application with a SQLite DataSource and nothing about fkguard, for {@link SpringBoot4FlywayIT}
 * to start in a JVM of its own with another Spring Boot and Flyway on the class path. Arguments: JDBC URL, location.
 * Its {@link App} (DataSource from {@code test.sqlite.url}) is also what {@link SpringBootAutoConfigurationTest} runs.
 */
public final class SpringBootMain {
    private SpringBootMain() {
    }

    public static void main(String[] args) {
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "test.sqlite.url=" + args[0],
                        "spring.flyway.locations=" + args[1])
                .run()) {
            System.out.println("callback beans: " + ctx.getBeansOfType(Callback.class).keySet());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        DataSource dataSource(@Value("${test.sqlite.url}") String url) {
            SQLiteDataSource ds = new SQLiteDataSource();
            ds.setUrl(url);
            return ds;
        }
    }
}
