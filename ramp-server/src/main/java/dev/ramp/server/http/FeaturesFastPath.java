package dev.ramp.server.http;

import dev.ramp.server.auth.Principal;
import dev.ramp.server.auth.TokenRegistry;
import dev.ramp.server.state.CatalogState;
import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.state.EnvironmentView;
import dev.ramp.server.store.TokenScope;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The hottest request, {@code GET /api/client/features} without filters from a valid client token, answered on
 * Jetty's core API before the servlet layer: every SDK polls it, mostly for a {@code 304}. A client that accepts
 * gzip gets the view's body compressed once for all requests. Anything else (a query,
 * a missing or refused token, an address refused for its failed authentications, an environment that is gone) goes
 * on to {@link ClientApi}, which answers it, errors included, exactly as this handler would.
 */
final class FeaturesFastPath extends Handler.Wrapper {
    private static final String PATH = ClientApi.BASE + "/features";

    private final ControlPlane plane;
    private final TokenRegistry tokens;
    private final AuthenticationFailures failures;

    FeaturesFastPath(ControlPlane plane, TokenRegistry tokens, AuthenticationFailures failures) {
        this.plane = plane;
        this.tokens = tokens;
        this.failures = failures;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        EnvironmentView view = request.getHttpURI().getQuery() == null && HttpMethod.GET.is(request.getMethod())
                && PATH.equals(Request.getPathInContext(request)) ? view(request) : null;
        if (view == null) {
            return super.handle(request, response, callback);
        }
        response.getHeaders().put(HttpHeader.ETAG, view.etag());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
        if (Requests.notModified(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), view.etag())) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        byte[] body = view.features();
        if (acceptsGzip(request.getHeaders().get(HttpHeader.ACCEPT_ENCODING))) {
            body = view.featuresGzipped();
            response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body).asReadOnlyBuffer(), callback);
        return true;
    }

    /** Whether {@code Accept-Encoding} (null when absent) lists gzip without refusing it ({@code gzip;q=0}). */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip")) {
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].replace(" ", "");
                    if (parameter.matches("q=0(\\.0{0,3})?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** The view a valid client token may read, or null to leave the request to the servlet layer. */
    private EnvironmentView view(Request request) {
        if (failures.refusedFor(Request.getRemoteAddr(request)).isPresent()) {
            return null;
        }
        Optional<Principal> principal = Authentication.secret(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                request.getHeaders().get("X-API-Key")).flatMap(tokens::authenticate);
        if (principal.isEmpty() || principal.get().scope() != TokenScope.CLIENT) {
            return null;
        }
        CatalogState state = plane.current();
        return state.environment(principal.get().environment()).isPresent() ? state.view(principal.get().environment()) : null;
    }
}
