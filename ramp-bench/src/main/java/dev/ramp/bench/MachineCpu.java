package dev.ramp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time from {@code /proc} (Linux; zero elsewhere): the whole machine's busy time, and this JVM's own and its
 * waited-for children's (wrk, once it has exited). What the machine spent beyond those and the server's own is
 * someone else's load, plus kernel work not charged to any process (part of the loopback traffic's softirq time);
 * the features table shows it so that a run disturbed by other work on the machine can be told.
 */
record MachineCpu(long busyTicks, long selfTicks, long childrenTicks) {
    private static final Duration TICK = Duration.ofMillis(10);

    static MachineCpu now() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(cpu[i]);
            }
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] self = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new MachineCpu(busy, Long.parseLong(self[11]) + Long.parseLong(self[12]),
                    Long.parseLong(self[13]) + Long.parseLong(self[14]));
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0, 0);
        }
    }

    /** This JVM's system (kernel) CPU time so far; 0 where {@code /proc} is missing. */
    static long selfKernelNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return TICK.multipliedBy(Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12])).toNanos();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Busy time since {@code before} that neither this JVM, its reaped children nor {@code server} account for. */
    Duration othersSince(MachineCpu before, Duration server) {
        long ticks = (busyTicks - before.busyTicks) - (selfTicks - before.selfTicks) - (childrenTicks - before.childrenTicks);
        Duration others = TICK.multipliedBy(ticks).minus(server);
        return others.isNegative() ? Duration.ZERO : others;
    }
}
