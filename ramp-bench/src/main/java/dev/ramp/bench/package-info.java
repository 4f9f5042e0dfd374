/**
 * Benchmarks that put Ramp side by side with what a user would pick instead, in the same run: JMH benchmarks of
 * the evaluator ({@link dev.ramp.bench.EvaluationBenchmark}), and mains that drive a real server: the
 * {@code /api/client/features} load against nginx ({@link dev.ramp.bench.FeaturesBenchmark}), the propagation
 * of an admin write to a thousand streams ({@link dev.ramp.bench.PropagationBenchmark}) and the ingestion of
 * experiment events on SQLite and PostgreSQL ({@link dev.ramp.bench.EventIngestion}, with the split of a batch's
 * server time in {@link dev.ramp.bench.IngestionSplit}). Run them with
 * {@code ramp-bench/run.sh}; figures go to {@code docs/benchmarks.md}. Never part of the test suite.
 */
package dev.ramp.bench;
