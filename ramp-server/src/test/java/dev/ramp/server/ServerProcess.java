package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child JVM on this test's class path, started by {@link Main}, with the admin token
 * {@link #ADMIN_TOKEN}. Its errors go where {@code errors} says. Tests stop it with {@link #kill()}.
 */
public record ServerProcess(Process process, String url) {
    public static final String ADMIN_TOKEN = TestServer.ADMIN_TOKEN;

    /**
     * A server on the PostgreSQL database {@code databaseUrl}, or on SQLite in {@code dataDirectory} when that is
     * {@code ""}, deciding releases every {@code releaseTick}.
     */
    public static ServerProcess start(ProcessBuilder.Redirect errors, Path dataDirectory, String databaseUrl,
                                      Duration releaseTick) throws IOException, InterruptedException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), dataDirectory.toString(), databaseUrl,
                Long.toString(releaseTick.toMillis()));
        Process process = new ProcessBuilder(command).redirectError(errors).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("URL ")) {
                return new ServerProcess(process, line.substring(4));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server exited before it listened: " + process.waitFor());
    }

    /** Runs a server until it is killed, printing {@code URL <its url>} once it listens. */
    public static final class Main {
        public static void main(String[] args) throws InterruptedException {
            RampServer.Builder settings = RampServer.builder().port(0).adminToken(ADMIN_TOKEN)
                    .dataDirectory(Path.of(args[0])).releaseTick(Duration.ofMillis(Long.parseLong(args[2])));
            if (!args[1].isEmpty()) {
                settings.databaseUrl(args[1]);
            }
            RampServer server = settings.start();
            System.out.println("URL " + server.url());
            System.out.flush();
            Thread.currentThread().join();
        }
    }

    /** SIGKILL, and wait for it; nothing to do when it is already dead. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
