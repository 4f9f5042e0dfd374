/**
 * The {@code ramp} command line: one picocli command per task, all in the one runnable jar that the
 * {@code ./ramp} launcher builds. Exit codes: 0 success, 1 the input was rejected (the message says which file,
 * field and reason), 2 the command line itself was wrong.
 */
package dev.ramp.cli;
