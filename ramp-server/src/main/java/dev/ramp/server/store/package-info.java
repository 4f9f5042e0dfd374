/**
 * Durable state behind one interface, {@link dev.ramp.server.store.FlagStore}, with two implementations that share
 * their SQL in {@code JdbcFlagStore}: {@link dev.ramp.server.store.SqliteFlagStore} (the embedded default, one file
 * in WAL mode) and {@link dev.ramp.server.store.PostgresFlagStore}. Flyway migrates both schemas
 * ({@code db/migration/sqlite}, {@code db/migration/postgresql}).
 *
 * <p>Every write runs in {@link dev.ramp.server.store.FlagStore#write}, one transaction at a time across all
 * processes sharing the database (a process lock plus {@code BEGIN IMMEDIATE} on SQLite, a transaction-scoped
 * advisory lock on PostgreSQL). Change ids are assigned inside that lock, so their order is the commit order, which
 * the change streams rely on. Usage metrics, registrations and SDK events ({@link dev.ramp.server.store.ClientEvent})
 * are written outside that lock, in short transactions of their own; writers of events take a lock of their own, so
 * event ids too follow commit order and a reader can go on after the last id it saw.
 */
package dev.ramp.server.store;
