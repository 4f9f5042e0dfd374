/**
 * The {@code ramp} command line: one picocli command per task, all in the one runnable jar that the
 * {@code ./ramp} launcher builds. Exit codes: 0 success, 1 the input was rejected (the message says which file,
 * field and reason), 2 the command line itself was wrong; {@code ramp release watch} also ends with 3 when the
 * release was rolled back and 4 when it still ran at its {@code --timeout}.
 */
package dev.ramp.cli;
