package dev.ramp.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import javax.net.ssl.KeyManagerFactory;

/**
 * The key and certificate chain a listener presents for HTTPS, from a PKCS#12 key store such as
 * {@code keytool -genkeypair -storetype PKCS12} or {@code openssl pkcs12 -export} writes; the key's password is the
 * store's.
 *
 * @param keyStore the PKCS#12 file
 * @param password its password; never printed
 */
public record TlsKeys(Path keyStore, String password) {

    /**
     * Reads the key store once, so that a wrong path or password fails when it is given, with a reason, rather than
     * at the first connection.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static TlsKeys of(Path keyStore, String password) {
        TlsKeys keys = new TlsKeys(keyStore, password);
        KeyStore store = keys.read();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return keys;
                }
            }
        } catch (GeneralSecurityException e) {
            throw keys.unreadable(e);
        }
        throw new IllegalArgumentException("the TLS key store " + keyStore + " holds no private key, only certificates");
    }

    /** The key store, read from its file. */
    public KeyStore read() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw unreadable(e);
        }
    }

    /** Key managers presenting the key store's key. */
    public KeyManagerFactory keyManagers() {
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(read(), password.toCharArray());
            return factory;
        } catch (GeneralSecurityException e) {
            throw unreadable(e);
        }
    }

    private IllegalArgumentException unreadable(Exception e) {
        return new IllegalArgumentException("the TLS key store " + keyStore + " cannot be read: " + e.getMessage(), e);
    }

    /** Without the password, so that logging the settings cannot give it away. */
    @Override
    public String toString() {
        return "TlsKeys[keyStore=" + keyStore + "]";
    }
}
