package dev.ramp.server.http;

import dev.ramp.server.experiment.Experiments;
import dev.ramp.server.model.ExperimentDefinition;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.store.StoredExperiment;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1/experiments}: experiments on a flag's variants, their life (start, stop, ship) and their results. */
final class ExperimentApi {
    private static final String BASE = AdminApi.BASE + "/experiments";

    private final Experiments experiments;

    ExperimentApi(Experiments experiments) {
        this.experiments = experiments;
    }

    /** The body of {@code POST .../ship}. */
    record ShipRequest(String variant) {}

    void register(Routes routes) {
        routes.get(BASE, this::list);
        routes.post(BASE, ctx -> {
            StoredExperiment created = experiments.create(Requests.principal(ctx),
                    Requests.document(ctx, "Experiment", ExperimentDefinition.class));
            ctx.status(201).header("Location", BASE + "/" + created.name());
            send(ctx, created);
        });
        routes.get(BASE + "/{name}", ctx -> send(ctx, experiment(ctx)));
        routes.put(BASE + "/{name}", ctx -> send(ctx, experiments.replace(Requests.principal(ctx), ctx.pathParam("name"),
                Requests.ifMatch(ctx), Requests.document(ctx, "Experiment", ExperimentDefinition.class))));
        routes.delete(BASE + "/{name}", ctx -> {
            experiments.delete(Requests.principal(ctx), ctx.pathParam("name"), Requests.ifMatch(ctx));
            ctx.status(204);
        });
        routes.post(BASE + "/{name}/start", ctx -> send(ctx, experiments.start(Requests.principal(ctx),
                ctx.pathParam("name"), Requests.ifMatch(ctx))));
        routes.post(BASE + "/{name}/stop", ctx -> send(ctx, experiments.stop(Requests.principal(ctx),
                ctx.pathParam("name"), Requests.ifMatch(ctx))));
        routes.post(BASE + "/{name}/ship", ctx -> {
            long expected = Requests.ifMatch(ctx);
            ShipRequest request = Requests.read(ctx, ShipRequest.class, Limits.ADMIN_BODY_BYTES);
            send(ctx, experiments.ship(Requests.principal(ctx), ctx.pathParam("name"), expected,
                    request.variant() == null ? "" : request.variant()));
        });
        routes.get(BASE + "/{name}/results", ctx -> ctx.json(experiments.results(ctx.pathParam("name"))));
        routes.get(BASE + "/{name}/history", ctx -> ctx.json(Map.of("items",
                experiments.history(ctx.pathParam("name")).stream().map(AdminApi::change).toList())));
    }

    private void list(Context ctx) {
        Optional<String> environment = Requests.param(ctx, "environment");
        Optional<String> status = Requests.param(ctx, "status");
        status.ifPresent(text -> {
            if (List.of(StoredExperiment.Status.values()).stream().noneMatch(s -> s.wireName().equals(text))) {
                throw Rejection.invalid("status", "must be draft, running, stopped or shipped, got '"
                        + Requests.abbreviate(text) + "'");
            }
        });
        ctx.json(Map.of("items", experiments.list().stream()
                .filter(e -> environment.isEmpty() || e.definition().environment().equals(environment.get()))
                .filter(e -> status.isEmpty() || e.status().wireName().equals(status.get()))
                .toList()));
    }

    private StoredExperiment experiment(Context ctx) {
        String name = ctx.pathParam("name");
        return experiments.experiment(name).orElseThrow(() -> Rejection.notFound("experiment '" + Requests.abbreviate(name) + "'"));
    }

    private static void send(Context ctx, StoredExperiment experiment) {
        ctx.header("ETag", Requests.etag(experiment.version()));
        ctx.json(experiment);
    }
}
