package dev.ramp.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** Registers routes with Javalin and remembers them, so that a test can hold the OpenAPI document to them. */
public final class Routes {
    /** One registered route; {@code path} uses Javalin's and OpenAPI's {@code {name}} placeholders. */
    public record Route(String method, String path) {}

    private final RoutesConfig routes;
    private final List<Route> registered = new ArrayList<>();

    Routes(RoutesConfig routes) {
        this.routes = routes;
    }

    void get(String path, Handler handler) {
        add(HandlerType.GET, path, handler);
    }

    void post(String path, Handler handler) {
        add(HandlerType.POST, path, handler);
    }

    void put(String path, Handler handler) {
        add(HandlerType.PUT, path, handler);
    }

    void delete(String path, Handler handler) {
        add(HandlerType.DELETE, path, handler);
    }

    private void add(HandlerType method, String path, Handler handler) {
        routes.addHttpHandler(method, path, handler);
        registered.add(new Route(method.name().toLowerCase(java.util.Locale.ROOT), path));
    }

    public List<Route> registered() {
        return List.copyOf(registered);
    }
}
