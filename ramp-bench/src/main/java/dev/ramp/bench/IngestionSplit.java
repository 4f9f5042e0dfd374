package dev.ramp.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.server.RampServer;
import dev.ramp.server.experiment.Experiments;
import dev.ramp.server.model.Json;
import dev.ramp.server.store.ClientEvent;
import dev.ramp.server.store.FlagStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the server's time per batch of events goes: the steps of {@code POST /api/client/events} called in-process,
 * one after another, on {@link EventIngestion}'s bodies, each timed, from one thread (no HTTP, no contention).
 *
 * <p>A {@link RampServer} on SQLite or PostgreSQL (as {@link EventIngestion} starts them) gets the flag, and for
 * {@code --mode experiment} the running experiment, through the admin API; then a second store opened on the same
 * database takes the batches, with an {@link Experiments} loaded from it. Per body: {@code readTree} is the server's
 * {@code Json.mapper().readTree} of the bytes; "decode" turns the tree into {@link ClientEvent}s with
 * {@code Instant.parse} of each time, as {@code ClientApi} does (without its checks of fields, names and values, which
 * cost more); {@code store} is {@link FlagStore#addEvents}, the insert of the events and the commit, with
 * {@link Experiments#stored} keeping them for counting; "count" is {@link Experiments#countAll} after every tenth
 * batch, the counting thread's work (the experiment's upserts, the cursor and the commit), shown per batch; and, apart, a one-event {@code addEvents} shows
 * the fixed cost of a transaction (its commit and {@code fsync}). {@code --warmup} batches (default 100) are not counted;
 * {@code --batches} (default 600) are. The database grows as in {@link EventIngestion}'s rows: each body's 200 units
 * are new until the bodies come round again.
 */
public final class IngestionSplit {
    private static final Map<String, String> DEFAULTS = Map.of(
            "store", "sqlite",
            "mode", "experiment",
            "batches", "600",
            "warmup", "100",
            "postgres-url-options", "",
            "seed", "20261201");

    private IngestionSplit() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parseOrExit("IngestionSplit", args, DEFAULTS);
        boolean postgresql = switch (options.text("store")) {
            case "sqlite" -> false;
            case "postgresql" -> true;
            default -> throw new IllegalArgumentException("--store is sqlite or postgresql, got " + options.text("store"));
        };
        boolean experiment = switch (options.text("mode")) {
            case "raw" -> false;
            case "experiment" -> true;
            default -> throw new IllegalArgumentException("--mode is raw or experiment, got " + options.text("mode"));
        };
        int batches = options.number("batches", 1);
        int warmup = options.number("warmup", 0);
        List<EventIngestion.Body> bodies = EventIngestion.bodies(200_000, 1000, 5, options.number("seed", 0),
                Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS));

        String[] steps = {"readTree (Jackson tree of the body)", "decode (Instant.parse, ClientEvent)",
                "FlagStore.addEvents (insert, commit)", "counting (every 10th batch, per batch)",
                "one-event addEvents (a transaction's fixed cost)"};
        long[] nanos = new long[steps.length];
        try (EventIngestion.Postgres postgres = postgresql ? EventIngestion.Postgres.start(options.text("postgres-url-options"))
                : null;
             EventIngestion.Database database = postgresql ? postgres.newDatabase() : EventIngestion.Sqlite.create()) {
            try (RampServer server = database.configure(RampServer.builder().port(0)
                    .adminToken(EventIngestion.ADMIN_TOKEN)).start()) {
                RampAdmin api = new RampAdmin(server.url(), EventIngestion.ADMIN_TOKEN);
                api.createSplitFlag(EventIngestion.FLAG, EventIngestion.ARMS);
                if (experiment) {
                    api.createAndStartExperiment(EventIngestion.EXPERIMENT, EventIngestion.EXPERIMENT_DEFINITION);
                }
                try (FlagStore store = database.openStore();
                     Experiments experiments = Experiments.load(store, server.controlPlane(), InstantSource.system())) {
                    for (int n = 0; n < warmup + batches; n++) {
                        if (n == warmup) {
                            java.util.Arrays.fill(nanos, 0);
                        }
                        byte[] body = bodies.get(n % bodies.size()).json();
                        long t0 = System.nanoTime();
                        JsonNode tree = Json.mapper().readTree(body);
                        long t1 = System.nanoTime();
                        List<ClientEvent> events = decode(tree);
                        long t2 = System.nanoTime();
                        experiments.stored(store.addEvents(events), events);
                        long t3 = System.nanoTime();
                        if (n % 10 == 9) {
                            experiments.countAll();
                        }
                        long t4 = System.nanoTime();
                        store.addEvents(events.subList(0, 1));
                        long t5 = System.nanoTime();
                        long[] times = {t0, t1, t2, t3, t4, t5};
                        for (int i = 0; i < steps.length; i++) {
                            nanos[i] += times[i + 1] - times[i];
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s, %s: ms per batch of 1,000 events, mean of %d batches after %d unrecorded%n",
                options.text("store"), experiment ? "running experiment" : "no experiment (raw storage)", batches, warmup);
        for (int i = 0; i < steps.length; i++) {
            System.out.printf(Locale.ROOT, "  %-50s %7.2f%n", steps[i], nanos[i] / 1e6 / batches);
        }
    }

    /** The tree as events, the way {@code ClientApi} builds them once their fields have passed its checks. */
    private static List<ClientEvent> decode(JsonNode tree) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<ClientEvent> events = new ArrayList<>(tree.path("events").size());
        for (JsonNode event : tree.path("events")) {
            boolean exposure = event.path("type").asText().equals("exposure");
            events.add(new ClientEvent(0, RampAdmin.ENVIRONMENT, tree.path("appName").asText(), tree.path("instanceId").asText(),
                    exposure ? ClientEvent.Type.EXPOSURE : ClientEvent.Type.METRIC,
                    event.path(exposure ? "flag" : "name").asText(), event.path("variant").asText(""),
                    event.path("unit").asText(), exposure ? 1 : event.path("value").asDouble(), Map.of(),
                    Instant.parse(event.path("time").asText()).truncatedTo(ChronoUnit.MILLIS), now));
        }
        return events;
    }
}
