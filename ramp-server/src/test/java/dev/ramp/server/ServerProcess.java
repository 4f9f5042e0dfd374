package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child JVM on this test's class path: {@code main} starts it and prints {@code URL <its url>} once it
 * listens. Its errors go where {@code errors} says. Tests stop it with {@link #kill()}.
 */
public record ServerProcess(Process process, String url) {

    public static ServerProcess start(Class<?> main, ProcessBuilder.Redirect errors, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(errors).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("URL ")) {
                return new ServerProcess(process, line.substring(4));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(main.getSimpleName() + " exited before it listened: " + process.exitValue());
    }

    /** SIGKILL, and wait for it; nothing to do when it is already dead. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
