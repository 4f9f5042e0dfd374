package dev.ramp.server.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One committed change, as the audit log keeps it. {@code id} grows in commit order across the whole database.
 *
 * @param actor   the name of the token that made the change
 * @param key     the resource's key: a flag key, segment id, environment name or token id
 * @param action  what was done, for example {@code create}, {@code update}, {@code enable}, {@code archive}, {@code revert}
 * @param version the resource's version after the change ({@code 0} once deleted)
 * @param before  the resource's JSON before the change, {@code ""} when it did not exist
 * @param after   the resource's JSON after the change, {@code ""} when it no longer exists
 */
public record Change(
        long id, Instant at, String actor, ResourceType type, String key, String action, long version, String before, String after) {

    public Change {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    /** A change about to be recorded: the store assigns its id. */
    public record Draft(Instant at, String actor, ResourceType type, String key, String action, long version, String before, String after) {
        public Change withId(long id) {
            return new Change(id, at, actor, type, key, action, version, before, after);
        }
    }
}
