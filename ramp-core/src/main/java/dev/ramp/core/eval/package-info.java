/**
 * Flag evaluation. {@link dev.ramp.core.eval.Evaluator} compiles a {@link dev.ramp.core.flag.FlagSnapshot}
 * once (package-private {@code CompiledFlag}, {@code CompiledStrategy}, {@code ConstraintCompiler}, {@code Rules},
 * {@code VariantPicker}) and answers {@code isEnabled}, {@code variant} and typed evaluations for a
 * {@link dev.ramp.core.eval.Context} without throwing or locking. The semantics
 * are the Unleash client specification v6.1.0's; the operand parsers ({@code SemVer}, {@code IpAddress},
 * {@code CidrBlock}, {@code Instants}, {@code Numbers}) read only literal text and never touch the network.
 */
package dev.ramp.core.eval;
