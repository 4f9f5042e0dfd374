package dev.ramp.server.http;

import dev.ramp.core.release.Observation;
import dev.ramp.core.release.ReleaseDefinition;
import dev.ramp.core.release.ReleaseMachine;
import dev.ramp.core.release.ReleaseState;
import dev.ramp.server.release.ReleaseView;
import dev.ramp.server.release.Releases;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.store.StoredRelease;
import dev.ramp.server.store.TimelineRow;
import io.javalin.http.Context;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/releases}: releases ({@code kind: Release}), the commands people give them, their timelines and
 * histories; and {@code /metrics}, the releases' state in Prometheus text.
 */
final class ReleaseApi {
    static final String BASE = AdminApi.BASE + "/releases";

    private final Releases releases;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    ReleaseApi(Releases releases) {
        this.releases = releases;
    }

    void register(Routes registered) {
        registered.get(BASE, ctx -> ctx.json(Map.of("items", releases.list().stream().map(ReleaseView::of).toList())));
        registered.post(BASE, ctx -> {
            StoredRelease created = releases.create(Requests.principal(ctx),
                    Requests.document(ctx, "Release", ReleaseDefinition.class));
            ctx.status(201).header("Location", BASE + "/" + created.name());
            send(ctx, created);
        });
        registered.get(BASE + "/{name}", ctx -> send(ctx, release(ctx)));
        registered.put(BASE + "/{name}", ctx -> send(ctx, releases.replace(Requests.principal(ctx), ctx.pathParam("name"),
                Requests.ifMatch(ctx), Requests.document(ctx, "Release", ReleaseDefinition.class))));
        registered.delete(BASE + "/{name}", ctx -> {
            releases.delete(Requests.principal(ctx), ctx.pathParam("name"), Requests.ifMatch(ctx));
            ctx.status(204);
        });
        for (Observation.Command.Kind kind : Observation.Command.Kind.values()) {
            if (kind == Observation.Command.Kind.PROMOTE_FULL) {
                continue;
            }
            registered.post(BASE + "/{name}/" + kind.name().toLowerCase(Locale.ROOT), ctx -> {
                Observation.Command.Kind asked = kind == Observation.Command.Kind.PROMOTE
                        && Requests.param(ctx, "full").map("true"::equals).orElse(false)
                        ? Observation.Command.Kind.PROMOTE_FULL : kind;
                send(ctx, releases.command(Requests.principal(ctx), ctx.pathParam("name"), asked));
            });
        }
        registered.get(BASE + "/{name}/timeline", ctx -> {
            long after = Requests.longParam(ctx, "after", 0);
            int limit = Requests.intParam(ctx, "limit", Releases.MAX_TIMELINE, 1, Releases.MAX_TIMELINE);
            List<TimelineRow> rows = releases.timeline(ctx.pathParam("name"), after, limit);
            ctx.json(Map.of("items", rows.stream().map(ReleaseApi::entry).toList()));
        });
        registered.get(BASE + "/{name}/history", ctx -> ctx.json(Map.of("items",
                releases.history(ctx.pathParam("name")).stream().map(AdminApi::change).toList())));
        registered.get("/metrics", this::metrics);
    }

    /** A timeline entry as the API writes it; NaN (no such number) as null. */
    private static Map<String, Object> entry(TimelineRow row) {
        var entry = new java.util.LinkedHashMap<String, Object>();
        entry.put("seq", row.seq());
        entry.put("at", row.entry().at());
        entry.put("type", row.entry().type());
        entry.put("step", row.entry().step());
        entry.put("message", row.entry().message());
        entry.put("outcome", row.entry().outcome());
        entry.put("evidence", row.entry().evidence().stream().map(result -> {
            var item = new java.util.LinkedHashMap<String, Object>();
            item.put("metric", result.metric());
            item.put("outcome", result.outcome());
            item.put("statistic", result.statistic());
            item.put("value", number(result.value()));
            item.put("bound", number(result.bound()));
            item.put("stableSamples", result.stableSamples());
            item.put("canarySamples", result.canarySamples());
            item.put("stableEstimate", number(result.stableEstimate()));
            item.put("canaryEstimate", number(result.canaryEstimate()));
            item.put("reason", result.reason());
            return item;
        }).toList());
        return entry;
    }

    private static Double number(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private void metrics(Context ctx) throws IOException {
        List<StoredRelease> all = releases.list();
        var phases = GaugeSnapshot.builder().name("ramp_release_phase")
                .help("1 for each release's phase: progressing, paused, promoted or rolled-back.");
        var weights = GaugeSnapshot.builder().name("ramp_release_weight").help("The new version's share, in percent.");
        var steps = GaugeSnapshot.builder().name("ramp_release_step").help("The current step's index in the plan.");
        for (StoredRelease release : all) {
            for (ReleaseState.Phase phase : ReleaseState.Phase.values()) {
                phases.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("release", release.name(), "phase", ReleaseMachine.wire(phase)))
                        .value(release.state().phase() == phase ? 1 : 0).build());
            }
            weights.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("release", release.name()))
                    .value(release.state().weight()).build());
            steps.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("release", release.name()))
                    .value(release.state().step()).build());
        }
        var aborted = CounterSnapshot.builder().name("ramp_releases_aborted_by_analysis")
                .help("Releases rolled back because an analysis failed, since the server started.")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(releases.abortedByAnalysis()).build());
        var leader = GaugeSnapshot.builder().name("ramp_release_controller_leading")
                .help("1 while this server drives releases, 0 while another replica does.")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(releases.leading() ? 1 : 0).build());
        var out = new ByteArrayOutputStream();
        writer.write(out, new MetricSnapshots(phases.build(), weights.build(), steps.build(), aborted.build(), leader.build()),
                EscapingScheme.ALLOW_UTF8);
        ctx.contentType(PrometheusTextFormatWriter.CONTENT_TYPE).result(out.toByteArray());
    }

    private StoredRelease release(Context ctx) {
        String name = ctx.pathParam("name");
        return releases.release(name).orElseThrow(() -> Rejection.notFound("release '" + Requests.abbreviate(name) + "'"));
    }

    private static void send(Context ctx, StoredRelease release) {
        ctx.header("ETag", Requests.etag(release.version()));
        ctx.json(ReleaseView.of(release));
    }
}
