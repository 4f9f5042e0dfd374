#!/usr/bin/env bash
# Runs a benchmark suite and leaves JMH's JSON in ramp-bench/results/.
#   ramp-bench/run.sh eval     Ramp's evaluator vs the Unleash Java SDK, same flags, same run, with -prof gc
# Extra arguments go to JMH (for example: -f 2 -i 10).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="${1:-eval}"
shift || true

(cd "$root" && mvn -B -q -DskipTests -pl ramp-bench -am package)
mkdir -p "$root/ramp-bench/results"
case "$suite" in
  eval)
    exec java -jar "$root/ramp-bench/target/benchmarks.jar" 'dev.ramp.bench.EvaluationBenchmark' \
      -prof gc -rf json -rff "$root/ramp-bench/results/eval.json" "$@"
    ;;
  *)
    echo "usage: ramp-bench/run.sh eval [JMH options]" >&2
    exit 2
    ;;
esac
