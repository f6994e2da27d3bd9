package dev.fkguard.flyway;

import org.flywaydb.core.api.callback.CallbackEvent;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.internal.callback.InternalCallback;

/**
 * The zero-configuration route: the fkguard callback as a Flyway plugin, found by Flyway's {@code ServiceLoader}
 * (listed in {@code META-INF/services/org.flywaydb.core.extensibility.Plugin}). Not meant to be used directly.
 *
 * <p>Flyway 11.16 and later add every {@code InternalCallback} plugin <em>after</em> the configured callbacks, so
 * callbacks passed as objects, class names or Spring beans all keep running. (The other no-configuration route,
 * a class in the package {@code db.callback}, replaces callbacks passed as objects, so fkguard does not use it.)
 *
 * <p>It acts only when no fkguard callback is configured: an explicit {@code callbacks(new FkGuardCallback(...))},
 * a {@code callbacks=} class name or the Spring Boot bean takes precedence (see
 * {@link FkGuardCallback#isTheActiveFkGuardCallback}), so fkguard syncs once per event whatever the routes.
 *
 * <p>{@code InternalCallback} first appears in Flyway 11.16.0; on older Flyway the service entry cannot load and
 * Flyway stops at startup. That is why 11.16.0 is the oldest supported version.
 */
public final class FkGuardFlywayPlugin extends FkGuardCallback implements InternalCallback<Event> {

    /** Called by {@code ServiceLoader}. */
    public FkGuardFlywayPlugin() {
        super();
    }

    @Override
    public boolean supportsEventType(Class<? extends CallbackEvent<?>> type) {
        return type == Event.class;
    }
}
