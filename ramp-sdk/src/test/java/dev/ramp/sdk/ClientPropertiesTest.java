package dev.ramp.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluation;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Whatever the flag name and context, the client's evaluations and {@code track} return; they never throw. */
class ClientPropertiesTest {
    private static final String FEATURES = """
            {"version":2,"features":[
             {"name":"checkout","enabled":true,"impressionData":true,"strategies":[{"name":"flexibleRollout",
              "parameters":{"rollout":"50","stickiness":"default","groupId":"checkout"},
              "constraints":[{"contextName":"plan","operator":"IN","values":["pro"]},
                             {"contextName":"version","operator":"SEMVER_GTE","value":"1.2.0"}]}],
              "variants":[{"name":"a","weight":500,"payload":{"type":"number","value":"1.5"}},{"name":"b","weight":500}]},
             {"name":"dated","enabled":true,"strategies":[{"name":"default","constraints":[
              {"contextName":"currentTime","operator":"DATE_AFTER","value":"2026-01-01T00:00:00Z"},
              {"contextName":"remoteAddress","operator":"IN_CIDR","values":["10.0.0.0/8"]}]}]}]}""";

    private static RampClient client;

    @BeforeContainer
    static void start() {
        client = RampClient.builder().url("http://127.0.0.1:1").token("*:prop.test").appName("properties")
                .noBackupFile().streaming(false).pollInterval(Duration.ofHours(1)).bootstrap(FEATURES).build();
    }

    @AfterContainer
    static void stop() {
        client.close();
    }

    @Property(tries = 2_000)
    void evaluations_neverThrow(@ForAll("flags") String flag, @ForAll("contexts") Context context,
                                @ForAll("values") double value) {
        client.isEnabled(flag, context);
        client.variant(flag, context);
        Evaluation<Boolean> state = client.evaluateBoolean(flag, context, true);
        client.evaluateVariant(flag, context);
        client.evaluateString(flag, context, null);
        client.evaluateNumber(flag, context, 0);
        client.track(flag, context, value);

        assertThat(state).isNotNull();
    }

    @Provide
    Arbitrary<String> flags() {
        return Arbitraries.oneOf(Arbitraries.of("checkout", "dated", "missing", ""), Arbitraries.strings().ofMaxLength(300))
                .injectNull(0.05);
    }

    @Provide
    Arbitrary<Context> contexts() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("pro", "1.2.3", "10.1.2.3", "::1", "2026-06-01T00:00:00Z", "not-a-date", "")).injectNull(0.2);
        return net.jqwik.api.Combinators.combine(text, text, text, text, text).as((user, session, plan, version, address) -> {
            Context.Builder builder = Context.builder().userId(user).sessionId(session).remoteAddress(address);
            if (plan != null) {
                builder.property("plan", plan);
            }
            if (version != null) {
                builder.property("version", version);
            }
            return builder.build();
        }).injectNull(0.05);
    }

    @Provide
    Arbitrary<Double> values() {
        return Arbitraries.oneOf(Arbitraries.doubles(), Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0));
    }
}
