/**
 * JMH benchmarks that put Ramp side by side with what a user would pick instead, in the same run. Run them
 * with {@code ramp-bench/run.sh}; figures go to {@code docs/benchmarks.md}. Never part of the test suite.
 */
package dev.ramp.bench;
