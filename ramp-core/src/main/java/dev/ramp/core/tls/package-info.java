/**
 * TLS settings the server and the gateway share: {@link dev.ramp.core.tls.TlsKeys}, a PKCS#12 key store with the key
 * and certificate chain a listener presents, read and checked once when it is given.
 */
package dev.ramp.core.tls;
