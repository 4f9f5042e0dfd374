package dev.ramp.server.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.core.eval.ConstraintCheck;
import dev.ramp.core.flag.Constraint;
import dev.ramp.core.flag.Operator;
import dev.ramp.core.flag.StandardOperator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks a request against what the server knows (environments, segments, flags) and collects every problem, not
 * only the first, each naming the field's path. A definition that passes evaluates as its author meant: no
 * constraint in it can silently never match.
 */
public final class Validation {
    /** Keys of flags and names of environments and projects: URL-safe, 1 to 100 characters. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]{0,99}");
    public static final Set<String> FLAG_TYPES = Set.of("release", "experiment", "operational", "kill-switch", "permission");
    public static final Set<String> STRATEGIES = Set.of("default", "flexibleRollout", "userWithId", "gradualRolloutUserId",
            "gradualRolloutSessionId", "gradualRolloutRandom", "remoteAddress", "applicationHostname");
    public static final Set<String> PAYLOAD_TYPES = Set.of("string", "json", "csv", "number");
    public static final int MAX_TEXT = 1000;
    public static final int MAX_ITEMS = 1000;
    public static final int TOTAL_WEIGHT = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Predicate<String> environmentExists;
    private final IntPredicate segmentExists;
    private final Predicate<String> flagExists;
    private final List<FieldError> errors = new ArrayList<>();

    private Validation(Predicate<String> environmentExists, IntPredicate segmentExists, Predicate<String> flagExists) {
        this.environmentExists = environmentExists;
        this.segmentExists = segmentExists;
        this.flagExists = flagExists;
    }

    /** A validation that looks names up with the given tests. */
    public static Validation against(Predicate<String> environmentExists, IntPredicate segmentExists, Predicate<String> flagExists) {
        return new Validation(environmentExists, segmentExists, flagExists);
    }

    /** The problems found so far, in the order found. */
    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    public boolean passed() {
        return errors.isEmpty();
    }

    public Validation fail(String field, String reason) {
        errors.add(new FieldError(field, reason));
        return this;
    }

    public Validation key(String field, String value) {
        if (value.isEmpty()) {
            fail(field, "is required");
        } else if (!KEY.matcher(value).matches()) {
            fail(field, "must be 1 to 100 characters of letters, digits, '.', '_', '~' or '-', starting with a letter or digit");
        }
        return this;
    }

    public Validation flag(FlagDefinition flag) {
        key("key", flag.key());
        text("description", flag.description());
        if (!FLAG_TYPES.contains(flag.type())) {
            fail("type", "must be one of " + sorted(FLAG_TYPES));
        }
        key("project", flag.project());
        items("dependencies", flag.dependencies());
        for (int i = 0; i < flag.dependencies().size(); i++) {
            String path = "dependencies[" + i + "]";
            DependencyDefinition dependency = flag.dependencies().get(i);
            if (dependency == null) {
                fail(path, "must not be null");
                continue;
            }
            if (dependency.feature().isEmpty()) {
                fail(path + ".feature", "is required");
            } else if (dependency.feature().equals(flag.key())) {
                fail(path + ".feature", "a flag cannot depend on itself");
            } else if (!flagExists.test(dependency.feature())) {
                fail(path + ".feature", "no flag '" + dependency.feature() + "' exists");
            }
            names(path + ".variants", dependency.variants());
        }
        for (Map.Entry<String, FlagEnvironment> entry : flag.environments().entrySet()) {
            String path = "environments." + entry.getKey();
            if (!environmentExists.test(entry.getKey())) {
                fail(path, "no environment '" + entry.getKey() + "' exists");
            }
            if (entry.getValue() == null) {
                fail(path, "must not be null");
            } else {
                environment(path, entry.getValue());
            }
        }
        return this;
    }

    public Validation environment(String path, FlagEnvironment settings) {
        items(prefix(path) + "strategies", settings.strategies());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < settings.strategies().size(); i++) {
            StrategyDefinition strategy = settings.strategies().get(i);
            String strategyPath = prefix(path) + "strategies[" + i + "]";
            if (strategy == null) {
                fail(strategyPath, "must not be null");
                continue;
            }
            strategy(strategyPath, strategy);
            if (!strategy.id().isEmpty() && !KEY.matcher(strategy.id()).matches()) {
                fail(strategyPath + ".id", "must be 1 to 100 URL-safe characters (letters, digits, '.', '_', '~', '-'),"
                        + " or left out for the server to assign");
            } else if (!strategy.id().isEmpty() && !ids.add(strategy.id())) {
                fail(strategyPath + ".id", "'" + strategy.id() + "' appears twice");
            }
        }
        variants(prefix(path) + "variants", settings.variants());
        return this;
    }

    public Validation strategy(String path, StrategyDefinition strategy) {
        String at = prefix(path);
        if (strategy.name().isEmpty()) {
            fail(at + "name", "is required");
        } else if (!STRATEGIES.contains(strategy.name())) {
            fail(at + "name", "must be one of " + sorted(STRATEGIES));
        }
        if (strategy.parameters().size() > MAX_ITEMS) {
            fail(at + "parameters", "must have at most " + MAX_ITEMS + " entries");
        }
        strategy.parameters().forEach((name, value) -> {
            if (value == null) {
                fail(at + "parameters." + name, "must be a string");
            } else {
                text(at + "parameters." + name, value);
            }
        });
        String rollout = strategy.parameters().get("rollout");
        if ("flexibleRollout".equals(strategy.name()) && rollout != null && !percentage(rollout)) {
            fail(at + "parameters.rollout", "must be a whole number from 0 to 100, got '" + rollout + "'");
        }
        String percentage = strategy.parameters().get("percentage");
        if (strategy.name().startsWith("gradualRollout") && percentage != null && !percentage(percentage)) {
            fail(at + "parameters.percentage", "must be a whole number from 0 to 100, got '" + percentage + "'");
        }
        constraints(at + "constraints", strategy.constraints());
        items(at + "segments", strategy.segments());
        for (int i = 0; i < strategy.segments().size(); i++) {
            Integer id = strategy.segments().get(i);
            if (id == null) {
                fail(at + "segments[" + i + "]", "must be a segment id");
            } else if (!segmentExists.test(id)) {
                fail(at + "segments[" + i + "]", "no segment " + id + " exists");
            }
        }
        variants(at + "variants", strategy.variants());
        return this;
    }

    public Validation constraints(String path, List<ConstraintDefinition> constraints) {
        items(path, constraints);
        for (int i = 0; i < constraints.size(); i++) {
            ConstraintDefinition constraint = constraints.get(i);
            String at = path + "[" + i + "]";
            if (constraint == null) {
                fail(at, "must not be null");
                continue;
            }
            if (constraint.contextName().isBlank()) {
                fail(at + ".contextName", "is required");
            }
            text(at + ".contextName", constraint.contextName());
            if (constraint.operator().isBlank()) {
                fail(at + ".operator", "is required");
            }
            text(at + ".operator", constraint.operator());
            text(at + ".value", constraint.value());
            items(at + ".values", constraint.values());
            for (int v = 0; v < constraint.values().size(); v++) {
                if (constraint.values().get(v) == null) {
                    fail(at + ".values[" + v + "]", "must be a string");
                }
            }
            if (constraint.contextName().isBlank() || constraint.operator().isBlank()
                    || constraint.values().stream().anyMatch(java.util.Objects::isNull)) {
                continue;
            }
            Constraint core = new Constraint(constraint.contextName(), Operator.parse(constraint.operator()),
                    constraint.values(), constraint.value(), constraint.caseInsensitive(), constraint.inverted());
            ConstraintCheck.problem(core).ifPresent(reason -> fail(at + operandField(core.operator()), reason));
        }
        return this;
    }

    public Validation variants(String path, List<VariantDefinition> variants) {
        items(path, variants);
        Set<String> names = new HashSet<>();
        int total = 0;
        for (int i = 0; i < variants.size(); i++) {
            VariantDefinition variant = variants.get(i);
            String at = path + "[" + i + "]";
            if (variant == null) {
                fail(at, "must not be null");
                continue;
            }
            if (variant.name().isBlank()) {
                fail(at + ".name", "is required");
            } else if (!names.add(variant.name())) {
                fail(at + ".name", "'" + variant.name() + "' appears twice");
            }
            text(at + ".name", variant.name());
            text(at + ".stickiness", variant.stickiness());
            items(at + ".overrides", variant.overrides());
            if (variant.weight() < 0 || variant.weight() > TOTAL_WEIGHT) {
                fail(at + ".weight", "must be from 0 to " + TOTAL_WEIGHT);
            }
            total += variant.weight();
            payload(at + ".payload", variant.payload());
            for (int o = 0; o < variant.overrides().size(); o++) {
                VariantDefinition.OverrideDefinition override = variant.overrides().get(o);
                if (override == null || override.contextName().isBlank()) {
                    fail(at + ".overrides[" + o + "].contextName", "is required");
                } else {
                    names(at + ".overrides[" + o + "].values", override.values());
                }
            }
        }
        if (!variants.isEmpty() && total != TOTAL_WEIGHT) {
            fail(path, "weights must add up to " + TOTAL_WEIGHT + ", they add up to " + total);
        }
        return this;
    }

    public Validation segment(SegmentDefinition segment) {
        if (segment.name().isBlank()) {
            fail("name", "is required");
        }
        text("name", segment.name());
        text("description", segment.description());
        constraints("constraints", segment.constraints());
        return this;
    }

    /** Metrics one experiment may have: the primary one and its guardrails. */
    public static final int MAX_METRICS = 20;
    /** The longest metric event name, as SDKs may send it. */
    public static final int MAX_EVENT_NAME = 256;

    /**
     * An experiment's definition. Its flag and environment must exist; that the flag has variants to compare is
     * checked when the experiment starts, since they may be set up after it is created.
     */
    public Validation experiment(ExperimentDefinition experiment) {
        key("name", experiment.name());
        text("description", experiment.description());
        text("hypothesis", experiment.hypothesis());
        key("flag", experiment.flag());
        if (KEY.matcher(experiment.flag()).matches() && !flagExists.test(experiment.flag())) {
            fail("flag", "no flag '" + experiment.flag() + "' exists (or it is archived)");
        }
        key("environment", experiment.environment());
        if (KEY.matcher(experiment.environment()).matches() && !environmentExists.test(experiment.environment())) {
            fail("environment", "no environment '" + experiment.environment() + "' exists");
        }
        text("control", experiment.control());
        if (experiment.primaryMetric() == null) {
            fail("primaryMetric", "is required: the metric the decision is about, such as {event: checkout, kind: conversion}");
        } else {
            metric("primaryMetric", experiment.primaryMetric());
        }
        if (experiment.guardrailMetrics().size() >= MAX_METRICS) {
            fail("guardrailMetrics", "must have fewer than " + MAX_METRICS + " entries");
        }
        Set<String> seen = new HashSet<>();
        if (experiment.primaryMetric() != null) {
            seen.add(experiment.primaryMetric().event() + "\0" + experiment.primaryMetric().kind());
        }
        for (int i = 0; i < experiment.guardrailMetrics().size() && i < MAX_METRICS; i++) {
            MetricDefinition metric = experiment.guardrailMetrics().get(i);
            String at = "guardrailMetrics[" + i + "]";
            if (metric == null) {
                fail(at, "must not be null");
            } else if (metric(at, metric) && !seen.add(metric.event() + "\0" + metric.kind())) {
                fail(at, "the " + metric.kind() + " of '" + metric.event() + "' is already a metric of this experiment");
            }
        }
        double mde = experiment.minimumDetectableEffect();
        if (!(mde > 0 && mde <= 10)) {
            fail("minimumDetectableEffect", "must be a relative lift above 0 and at most 10 (0.05 is five percent), got " + mde);
        }
        if (!(experiment.alpha() > 0 && experiment.alpha() <= 0.5)) {
            fail("alpha", "must be above 0 and at most 0.5, got " + experiment.alpha());
        }
        if (!(experiment.power() >= 0.5 && experiment.power() < 1)) {
            fail("power", "must be at least 0.5 and below 1, got " + experiment.power());
        }
        return this;
    }

    /** Checks one metric; returns whether it passed. */
    private boolean metric(String path, MetricDefinition metric) {
        int before = errors.size();
        if (metric.event().isEmpty()) {
            fail(path + ".event", "is required: the name SDKs send with track()");
        } else if (metric.event().length() > MAX_EVENT_NAME || metric.event().chars().anyMatch(Character::isISOControl)) {
            fail(path + ".event", "must be 1 to " + MAX_EVENT_NAME + " characters, none a control character");
        }
        if (MetricDefinition.Kind.parse(metric.kind()).isEmpty()) {
            fail(path + ".kind", (metric.kind().isEmpty() ? "is required: " : "must be ")
                    + "conversion (share of units with an event), sum (total value per unit) or average (value per event)"
                    + (metric.kind().isEmpty() ? "" : ", got '" + abbreviate(metric.kind()) + "'"));
        }
        if (MetricDefinition.Goal.parse(metric.goal()).isEmpty()) {
            fail(path + ".goal", "must be increase or decrease, got '" + abbreviate(metric.goal()) + "'");
        }
        return errors.size() == before;
    }

    public Validation text(String field, String value) {
        if (value.length() > MAX_TEXT) {
            fail(field, "must be at most " + MAX_TEXT + " characters");
        }
        return this;
    }

    private void payload(String path, VariantDefinition.PayloadDefinition payload) {
        if (payload == null) {
            return;
        }
        if (!PAYLOAD_TYPES.contains(payload.type())) {
            fail(path + ".type", "must be one of " + sorted(PAYLOAD_TYPES));
        } else if (payload.type().equals("json")) {
            try {
                JSON.readTree(payload.value());
            } catch (JsonProcessingException e) {
                fail(path + ".value", "is not valid JSON: " + e.getOriginalMessage());
            }
        } else if (payload.type().equals("number") && !isNumber(payload.value())) {
            fail(path + ".value", "'" + payload.value() + "' is not a number");
        }
    }

    private void names(String path, List<String> values) {
        items(path, values);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                fail(path + "[" + i + "]", "must be a string");
            }
        }
    }

    private void items(String path, List<?> values) {
        if (values.size() > MAX_ITEMS) {
            fail(path, "must have at most " + MAX_ITEMS + " entries");
        }
    }

    /** The field that holds the operand a constraint's operator reads. */
    private static String operandField(Operator operator) {
        if (!(operator instanceof StandardOperator standard)) {
            return ".operator";
        }
        return switch (standard) {
            case IN, NOT_IN, STR_STARTS_WITH, STR_ENDS_WITH, STR_CONTAINS, IN_CIDR -> ".values";
            default -> ".value";
        };
    }

    private static boolean percentage(String text) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return Integer.parseInt(text) <= 100;
    }

    private static boolean isNumber(String text) {
        try {
            return Double.isFinite(Double.parseDouble(text.trim()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String prefix(String path) {
        return path.isEmpty() ? "" : path + ".";
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static String sorted(Set<String> values) {
        return values.stream().sorted().toList().toString();
    }
}
