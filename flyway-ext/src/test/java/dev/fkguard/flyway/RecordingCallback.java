package dev.fkguard.flyway;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An application's own callback: records the {@code afterMigrate} events it sees. */
final class RecordingCallback implements Callback {
    final List<Event> seen = new CopyOnWriteArrayList<>();

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        seen.add(event);
    }

    @Override
    public String getCallbackName() {
        return "recorder";
    }
}
