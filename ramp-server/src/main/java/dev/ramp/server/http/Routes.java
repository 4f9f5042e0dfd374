package dev.ramp.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
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
        routes.get(path, handler);
        registered.add(new Route("get", path));
    }

    void post(String path, Handler handler) {
        routes.post(path, handler);
        registered.add(new Route("post", path));
    }

    void put(String path, Handler handler) {
        routes.put(path, handler);
        registered.add(new Route("put", path));
    }

    void delete(String path, Handler handler) {
        routes.delete(path, handler);
        registered.add(new Route("delete", path));
    }

    public List<Route> registered() {
        return List.copyOf(registered);
    }
}
