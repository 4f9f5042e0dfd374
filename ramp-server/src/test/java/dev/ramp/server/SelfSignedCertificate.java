package dev.ramp.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A key and a self-signed certificate for 127.0.0.1 and localhost, made by the JDK's {@code keytool} into a
 * PKCS#12 file, and a client TLS context that trusts that certificate alone.
 *
 * @param keyStore the PKCS#12 file
 * @param password its password
 */
public record SelfSignedCertificate(Path keyStore, String password) {

    /** Makes one in {@code directory}, valid for two days. */
    public static SelfSignedCertificate create(Path directory) {
        Path keyStore = directory.resolve("server.p12");
        String password = "test-key-store-0123";
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        try {
            Files.createDirectories(directory);
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "ramp", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                    "-storepass", password)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new SelfSignedCertificate(keyStore, password);
    }

    /** A client context that trusts this certificate and nothing else. */
    public SSLContext trustingIt() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ramp", store.getCertificate("ramp"));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
