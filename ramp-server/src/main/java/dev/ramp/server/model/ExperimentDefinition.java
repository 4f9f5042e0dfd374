package dev.ramp.server.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * An A/B experiment on the variants of one flag in one environment: what {@code POST /api/v1/experiments} creates
 * and {@code PUT} replaces. The read-only fields a {@code GET} adds are accepted and ignored, so a client can send
 * back what it read; {@code kind: Experiment} is accepted too, so a YAML document can be sent as it is.
 *
 * @param name                    the experiment's key, unique on the server
 * @param flag                    the flag whose variants are the arms; it needs {@code impressionData} on, so that
 *                                SDKs send exposures
 * @param environment             where the experiment runs
 * @param control                 the variant the others are compared with; the flag's first variant when empty
 * @param primaryMetric           the metric the decision is about
 * @param guardrailMetrics        metrics that must not get worse; one that does makes the recommendation "stop"
 * @param minimumDetectableEffect the smallest relative lift of the primary metric worth detecting (0.05: five
 *                                percent); it sizes the experiment and tunes its sequential intervals; 0.05 when
 *                                absent
 * @param alpha                   the false-positive rate, in (0, 0.5]; 0.05 when absent
 * @param power                   the chance to detect a lift of the minimum detectable effect, in [0.5, 1); 0.8
 *                                when absent
 */
@JsonIgnoreProperties(value = {"kind", "status", "arms", "shippedVariant", "startedAt", "stoppedAt", "version",
        "createdAt", "updatedAt"}, allowGetters = true)
public record ExperimentDefinition(
        String name,
        String description,
        String hypothesis,
        String flag,
        String environment,
        String control,
        MetricDefinition primaryMetric,
        List<MetricDefinition> guardrailMetrics,
        Double minimumDetectableEffect,
        Double alpha,
        Double power) {

    public static final double DEFAULT_MINIMUM_DETECTABLE_EFFECT = 0.05;
    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_POWER = 0.8;

    public ExperimentDefinition {
        name = Defaults.text(name);
        description = Defaults.text(description);
        hypothesis = Defaults.text(hypothesis);
        flag = Defaults.text(flag);
        environment = Defaults.text(environment);
        control = Defaults.text(control);
        guardrailMetrics = Defaults.list(guardrailMetrics);
        minimumDetectableEffect = minimumDetectableEffect == null ? DEFAULT_MINIMUM_DETECTABLE_EFFECT : minimumDetectableEffect;
        alpha = alpha == null ? DEFAULT_ALPHA : alpha;
        power = power == null ? DEFAULT_POWER : power;
    }

    /** The primary metric, then the guardrails: every metric the results show, in that order. */
    public List<MetricDefinition> metrics() {
        var all = new java.util.ArrayList<MetricDefinition>();
        all.add(primaryMetric);
        all.addAll(guardrailMetrics);
        return List.copyOf(all);
    }

    /** The same experiment with its control named. */
    public ExperimentDefinition withControl(String newControl) {
        return new ExperimentDefinition(name, description, hypothesis, flag, environment, newControl, primaryMetric,
                guardrailMetrics, minimumDetectableEffect, alpha, power);
    }
}
