/**
 * The server's live state and the one way to change it. {@link dev.ramp.server.state.ControlPlane} validates a
 * change, checks the version the caller read, commits it with its audit entry through the
 * {@link dev.ramp.server.store.FlagStore}, then moves the in-memory {@link dev.ramp.server.state.Catalog} forward and
 * hands the change to the streams, all in commit order. Reads ({@code /api/client/features}, OFREP) are served from
 * the catalog's immutable {@link dev.ramp.server.state.CatalogState}, never from the database.
 */
package dev.ramp.server.state;
