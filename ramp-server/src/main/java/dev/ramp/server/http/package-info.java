/**
 * The HTTP surface on Javalin (Jetty 12): {@link dev.ramp.server.http.AdminApi} ({@code /api/v1}),
 * {@link dev.ramp.server.http.ClientApi} (Unleash's {@code /api/client}, and the SDK events Ramp adds to it),
 * {@link dev.ramp.server.http.OfrepApi} ({@code /ofrep/v1}), authentication by token scope, and errors as RFC 9457 {@code application/problem+json}
 * ({@link dev.ramp.server.http.Problem}), and the web dashboard's static files at {@code /}
 * ({@code Dashboard}). Every limit on untrusted input is in {@link dev.ramp.server.http.Limits}.
 */
package dev.ramp.server.http;
