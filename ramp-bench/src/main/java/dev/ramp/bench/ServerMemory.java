package dev.ramp.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A server process's memory as Linux counts it ({@code /proc/PID/status}): resident now ({@code VmRSS}) and at its
 * peak so far ({@code VmHWM}), in KiB.
 */
record ServerMemory(long residentKiB, long peakKiB) {

    /** The memory of {@code server} now; null for a server that runs in this JVM, whose memory is not its own. */
    static ServerMemory of(RampProcess server) {
        if (server == null) {
            return null;
        }
        try {
            long resident = -1;
            long peak = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    resident = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kib(line);
                }
            }
            return new ServerMemory(resident, peak);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the server's memory", e);
        }
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** A paragraph on the server's memory before the streams, with them all open, and after the writes; "" in-process. */
    static String report(ServerMemory before, ServerMemory connected, ServerMemory after, int streams, String heapLimit) {
        if (before == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%nServer process memory (resident, -Xmx%s): %.0f MiB before the streams, %.0f MiB"
                        + " with all %,d open (%.1f KiB a stream), %.0f MiB after the writes; peak %.0f MiB%n",
                heapLimit, before.residentKiB / 1024.0, connected.residentKiB / 1024.0, streams,
                (connected.residentKiB - before.residentKiB) / (double) streams, after.residentKiB / 1024.0,
                after.peakKiB / 1024.0);
    }
}
