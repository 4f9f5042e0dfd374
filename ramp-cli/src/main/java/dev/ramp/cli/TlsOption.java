package dev.ramp.cli;

import dev.ramp.core.tls.TlsKeys;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --tls-key-store}, which {@code ramp server} and {@code ramp gateway} share. */
final class TlsOption {
    static final String PASSWORD_VARIABLE = "RAMP_TLS_KEY_STORE_PASSWORD";

    @Option(names = "--tls-key-store", paramLabel = "FILE", description = "A PKCS#12 file with the key and certificate"
            + " chain to serve HTTPS with, instead of HTTP. Its password comes from " + PASSWORD_VARIABLE + ".")
    Path keyStore;

    /** The keys, read and checked now; empty without the option. */
    Optional<TlsKeys> keys(Map<String, String> environment) {
        if (keyStore == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(TlsKeys.of(keyStore, environment.getOrDefault(PASSWORD_VARIABLE, "")));
        } catch (IllegalArgumentException e) {
            throw new Main.InputRejected("--tls-key-store: " + e.getMessage());
        }
    }
}
