/**
 * The {@code ramp} command line: one picocli command per task, all in the one runnable jar that the
 * {@code ./ramp} launcher builds. Commands that talk to a server share {@link dev.ramp.cli.ServerConnection} (server
 * and token from options, the environment or {@link dev.ramp.cli.ConfigFile}; {@code -o table|json|yaml});
 * {@code apply} and {@code diff} read documents with {@link dev.ramp.cli.DocumentFile} and reconcile them with a
 * {@link dev.ramp.cli.Reconciler}. The environment reaches commands through {@link dev.ramp.cli.Main#run}, never
 * from {@link System#getenv()}, so tests hand their own.
 *
 * <p>Exit codes: 0 success; 1 the input was rejected, by ramp or by the server (a 4xx), the message naming the file,
 * field and reason; 2 the command line itself was wrong; 3 {@code ramp release watch}: the release was rolled back;
 * 4 {@code ramp release watch}: it still ran at its {@code --timeout}; 5 {@code ramp diff}: applying would change
 * something; 6 the server could not be reached, or failed (a 5xx).
 */
package dev.ramp.cli;
