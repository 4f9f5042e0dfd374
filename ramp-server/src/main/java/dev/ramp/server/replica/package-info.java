/**
 * Several server processes on one PostgreSQL database: {@link dev.ramp.server.replica.ChangeListener} brings each one the
 * changes the others commit, and {@link dev.ramp.server.replica.Leadership} lets exactly one of them drive releases.
 */
package dev.ramp.server.replica;
