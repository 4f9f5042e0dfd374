package dev.ramp.core.eval;

import dev.ramp.core.flag.Variant;
import dev.ramp.core.flag.VariantOverride;
import dev.ramp.core.hash.BucketGroup;
import dev.ramp.core.hash.Bucketing;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Chooses among weighted variants: overrides first (the first variant one of whose overrides holds the unit's
 * value), then {@code bucketOf(group, unit, totalWeight, VARIANT_SEED)} walked over the cumulative weights.
 * The unit is the stickiness field: {@code default} is userId, else sessionId; without one, or with
 * {@code random}, the bucket is drawn at random. Results are built once, so picking allocates nothing.
 */
final class VariantPicker {
    private final VariantResult[] results;
    private final int[] cumulativeWeights;
    private final int totalWeight;
    private final BucketGroup group;
    private final ContextField stickiness;
    private final boolean random;
    /** Per variant, its overrides: the field each reads and the values that force it. */
    private final ContextField[][] overrideFields;
    private final List<List<Set<String>>> overrideValues;

    private VariantPicker(List<Variant> variants, String group, String stickinessName, boolean withOverrides) {
        int count = variants.size();
        this.results = new VariantResult[count];
        this.cumulativeWeights = new int[count];
        this.overrideFields = new ContextField[count][];
        var values = new ArrayList<List<Set<String>>>(count);
        long total = 0;
        for (int i = 0; i < count; i++) {
            Variant variant = variants.get(i);
            results[i] = new VariantResult(variant.name(), variant.payload(), true, true);
            total = Math.min(Integer.MAX_VALUE, total + variant.weight());
            cumulativeWeights[i] = (int) total;
            List<VariantOverride> overrides = withOverrides ? variant.overrides() : List.of();
            overrideFields[i] = new ContextField[overrides.size()];
            for (int j = 0; j < overrides.size(); j++) {
                overrideFields[i][j] = ContextField.of(overrides.get(j).contextName());
            }
            values.add(overrides.stream().map(override -> Set.copyOf(override.values())).toList());
        }
        this.overrideValues = List.copyOf(values);
        this.totalWeight = (int) total;
        this.group = BucketGroup.of(group, Bucketing.VARIANT_SEED);
        this.random = stickinessName.equals("random");
        this.stickiness = stickinessName.equals("default") || random ? null : ContextField.of(stickinessName);
    }

    /**
     * The flag's own variants: overrides apply, stickiness is the first variant's (the model spells an absent
     * stickiness {@code ""}: default). Empty list: none.
     */
    static VariantPicker forFlag(List<Variant> variants, String flagName) {
        if (variants.isEmpty()) {
            return null;
        }
        String stickiness = variants.get(0).stickiness();
        return new VariantPicker(variants, flagName, stickiness.isEmpty() ? "default" : stickiness, true);
    }

    /**
     * A strategy's variants: no overrides, the strategy's group and {@code stickiness} parameter (absent:
     * default; an explicit {@code ""} names a field no context has, as in Unleash's engine). Empty list: none.
     */
    static VariantPicker forStrategy(List<Variant> variants, String groupId, String stickiness) {
        return variants.isEmpty() ? null : new VariantPicker(variants, groupId, stickiness, false);
    }

    /** The index of the variant an override forces on this unit, or -1. */
    int overridden(Context context) {
        for (int i = 0; i < results.length; i++) {
            for (int j = 0; j < overrideFields[i].length; j++) {
                String value = overrideFields[i][j].read(context, null);
                if (value != null && overrideValues.get(i).get(j).contains(value)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The index of the unit's variant by weight, or -1 when the weights add up to 0. */
    int weighted(Context context, Sources sources) {
        if (totalWeight == 0) {
            return -1;
        }
        String unit = random ? null
                : stickiness == null ? (context.userId != null ? context.userId : context.sessionId)
                : stickiness.read(context, null);
        int target = unit == null
                ? sources.random().nextInt(totalWeight) + 1
                : group.bucketOf(unit, totalWeight);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (target <= cumulativeWeights[i]) {
                return i;
            }
        }
        return -1;
    }

    VariantResult pick(Context context, Sources sources) {
        int index = overridden(context);
        if (index < 0) {
            index = weighted(context, sources);
        }
        return index < 0 ? VariantResult.NO_VARIANT : results[index];
    }

    VariantResult result(int index) {
        return results[index];
    }
}
