package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fkguard.MigrationGuard.Key;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The keys a migration carries to the next, found by either table, renamed and replaced in place. */
class EnforcedKeysTest {
    private static final Key ALBUM_ARTIST = new Key("album", List.of("artist_id"), "artist", List.of("id"), "CASCADE NO ACTION");
    private static final Key TRACK_ALBUM = new Key("track", List.of("album_id"), "album", List.of("id"), "NO ACTION NO ACTION");
    private static final Key ARTIST_SELF = new Key("artist", List.of("mentor"), "artist", List.of("id"), "NO ACTION NO ACTION");

    @Test
    void aKeyIsFoundUnderItsChildAndUnderItsParent() {
        EnforcedKeys keys = new EnforcedKeys(List.of(ALBUM_ARTIST, TRACK_ALBUM, ARTIST_SELF));
        assertEquals(Set.of(ALBUM_ARTIST, TRACK_ALBUM), keys.touching("album"));
        assertEquals(Set.of(ALBUM_ARTIST, ARTIST_SELF), keys.touching("artist"));
        assertEquals(Set.of(), keys.touching("tag"));
    }

    @Test
    void removingTheKeysOfATableKeepsEveryKeyThatDoesNotTouchIt() {
        EnforcedKeys keys = new EnforcedKeys(List.of(ALBUM_ARTIST, TRACK_ALBUM, ARTIST_SELF));
        keys.removeTouching(Set.of("track"));
        assertEquals(2, keys.size());
        assertFalse(keys.contains(TRACK_ALBUM));
        assertEquals(Set.of(ALBUM_ARTIST), keys.touching("album"));
    }

    @Test
    void aRenamedTableIsRenamedOnBothEndsOfItsKeysAndNowhereElse() {
        EnforcedKeys keys = new EnforcedKeys(List.of(ALBUM_ARTIST, TRACK_ALBUM, ARTIST_SELF));
        keys.renameTable("artist", "performer");
        assertTrue(keys.contains(new Key("album", List.of("artist_id"), "performer", List.of("id"), "CASCADE NO ACTION")));
        assertTrue(keys.contains(new Key("performer", List.of("mentor"), "performer", List.of("id"), "NO ACTION NO ACTION")));
        assertTrue(keys.contains(TRACK_ALBUM));
        assertEquals(3, keys.size());
        assertEquals(Set.of(), keys.touching("artist"));
        assertEquals(2, keys.touching("performer").size());
    }

    @Test
    void aRenamedColumnIsRenamedOnTheSideOfItsTableOnly() {
        EnforcedKeys keys = new EnforcedKeys(List.of(ALBUM_ARTIST, TRACK_ALBUM));
        keys.renameColumn("album", "id", "album_no");
        keys.renameColumn("album", "artist_id", "by");
        assertTrue(keys.contains(new Key("album", List.of("by"), "artist", List.of("id"), "CASCADE NO ACTION")));
        assertTrue(keys.contains(new Key("track", List.of("album_id"), "album", List.of("album_no"), "NO ACTION NO ACTION")));
        assertEquals(2, keys.size());
    }
}
