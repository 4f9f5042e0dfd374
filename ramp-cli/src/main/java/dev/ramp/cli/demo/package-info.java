/**
 * {@code ramp demo}: the whole of Ramp in one process. A server on SQLite in a temporary directory, a gateway managed
 * by it, three versions of a synthetic shop service behind the gateway, a paced load of simulated users, and an
 * application client of the SDK that evaluates a flag and tracks checkouts. {@link dev.ramp.cli.demo.Demo} tells the
 * story through three releases, each decided on evidence; a {@link dev.ramp.cli.demo.Narrator} shows it.
 */
package dev.ramp.cli.demo;
