#!/usr/bin/env bash
# Runs a benchmark suite and leaves its results in ramp-bench/results/.
#   ramp-bench/run.sh eval          Ramp's evaluator vs the Unleash Java SDK, same flags, same run, with -prof gc (JMH JSON)
#   ramp-bench/run.sh sdk           isEnabled through the evaluator, RampClient, OpenFeature + RampProvider and the Unleash
#                                   Java SDK, on 1 and 4 threads, same run, with -prof gc (JMH JSON)
#   ramp-bench/run.sh features      GET /api/client/features, 200 and 304 paths: the Ramp server (java -jar ramp.jar) vs
#                                   nginx serving the same bytes, under the same wrk load (needs wrk and nginx)
#   ramp-bench/run.sh propagation   admin write -> unleash-updated event on 1,000 SSE streams, p50/p99 (embedded server;
#                                   --setup postgresql, or replicas: the clients on a second replica of one PostgreSQL;
#                                   or process: java -jar ramp.jar server in its own JVM, for --clients 10000)
#   ramp-bench/run.sh replicas      replicas on one embedded PostgreSQL: cluster writes/s with every replica writing, a
#                                   probe's write-to-remote-stream latency under that load, gateway reports/s into one
#   ramp-bench/run.sh judge         one look of each canary judge (sequential guardrail, fixed limits, Mann-Whitney) on
#                                   two metrics, after 60 and 600 intervals, with -prof gc (JMH JSON)
#   ramp-bench/run.sh ingest        POST /api/client/events: accepted events/s and batch p50/p99, SQLite and PostgreSQL
#                                   (embedded), 1 and 4 client threads, with and without a running experiment (about
#                                   3 minutes: 8 rows of 5 s warm-up and 15 s measured)
#   ramp-bench/run.sh ingest-split  where a batch's server time goes (parse, decode, store, commit) and what counting costs, in-process
#   ramp-bench/run.sh analysis      simulated canaries judged by Ramp's sequential guardrail, fixed limits and Mann-Whitney:
#                                   false rollbacks and time to detect; rewrites docs/analysis.md's results and its plot
#   ramp-bench/run.sh outage        the server killed and down for --outage seconds (default 300) under an SDK and a
#                                   managed gateway: what they answered meanwhile, and how fast they caught up
#   ramp-bench/run.sh release       releases end to end in real time (server, managed gateway, backends, paced load): a
#                                   bad canary's first request to rollback (1% -> 2% and 1% -> 5% errors; sequential
#                                   guardrail vs an Argo-style fixed limit) and a healthy canary's 4 steps to promotion
# Extra arguments go to JMH for eval, sdk and judge (for example: -f 2 -i 10) and to the benchmark's main otherwise
# (features: --duration 15 --warmup 20 --connections 64 --rounds 1; propagation: --clients 1000 --writes 50 --warmup 100
# --setup sqlite|postgresql|replicas|process --server-heap 512m; replicas: --replicas 2 --writers 2 --seconds 10 --probe-ms 50 --reporters 8;
# ingest: --stores sqlite,postgresql --modes raw,experiment --threads 1,4 --warmup 5 --seconds 15 --batch 1000
# --postgres-url-options reWriteBatchedInserts=true; ingest-split: --store sqlite|postgresql --mode raw|experiment;
# analysis: --canaries 2000 --power-canaries 500 --seconds 600 --seed 20261201; release: --runs 3 --rate 100 --weight 20
# --interval 2s --limit 300).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
suite="${1:-eval}"
shift || true
usage="usage: ramp-bench/run.sh eval [JMH options] | sdk [JMH options] | judge [JMH options] | features [--duration S --warmup S --connections N ...] | propagation [--clients N --writes N --setup S ...] | replicas [--replicas N --writers N ...] | ingest [--threads 1,4 --seconds S ...] | ingest-split [--store S --mode M] | analysis [--canaries N --seed N ...] | release [--runs N --rate R ...] | outage [--outage SECONDS]"

# Runs "$@" in a process group of its own and stops that whole group (the benchmark's JVM and the server, nginx and
# wrk it started) when this script ends, fails or is interrupted. The JVM also stops them itself on its way out.
run_group() {
  setsid "$@" &
  local pid=$!
  trap "kill -TERM -- -$pid 2>/dev/null || true" EXIT
  trap 'exit 130' INT TERM
  wait "$pid"
}

case "$suite" in
  eval | sdk | judge | replicas | ingest | ingest-split | analysis | release) modules=ramp-bench ;;
  features | propagation | outage) modules=ramp-bench,ramp-cli ;;
  *) echo "$usage" >&2; exit 2 ;;
esac
(cd "$root" && mvn -B -q -DskipTests -pl "$modules" -am package)
mkdir -p "$root/ramp-bench/results"
cd "$root"
case "$suite" in
  eval)
    exec java -jar "$root/ramp-bench/target/benchmarks.jar" 'dev.ramp.bench.EvaluationBenchmark' \
      -prof gc -rf json -rff "$root/ramp-bench/results/eval.json" "$@"
    ;;
  sdk)
    exec java -jar "$root/ramp-bench/target/benchmarks.jar" 'dev.ramp.bench.SdkBenchmark' \
      -prof gc -rf json -rff "$root/ramp-bench/results/sdk.json" "$@"
    ;;
  judge)
    exec java -jar "$root/ramp-bench/target/benchmarks.jar" 'dev.ramp.bench.JudgeBenchmark' \
      -prof gc -rf json -rff "$root/ramp-bench/results/judge.json" "$@"
    ;;
  features)
    for tool in wrk nginx; do
      command -v "$tool" >/dev/null || { echo "features needs $tool on the PATH" >&2; exit 2; }
    done
    run_group java -cp ramp-bench/target/benchmarks.jar dev.ramp.bench.FeaturesBenchmark "$@"
    ;;
  propagation)
    run_group java -cp ramp-bench/target/benchmarks.jar dev.ramp.bench.PropagationBenchmark "$@"
    ;;
  outage)
    run_group java -cp ramp-bench/target/benchmarks.jar dev.ramp.bench.OutageScenario "$@"
    ;;
  replicas)
    run_group java -cp ramp-bench/target/benchmarks.jar dev.ramp.bench.ReplicaCapacity "$@"
    ;;
  ingest)
    run_group java -cp ramp-bench/target/benchmarks.jar dev.ramp.bench.EventIngestion "$@"
    ;;
  ingest-split)
    run_group java -cp ramp-bench/target/benchmarks.jar dev.ramp.bench.IngestionSplit "$@"
    ;;
  release)
    run_group java -cp ramp-bench/target/benchmarks.jar dev.ramp.bench.ReleaseTiming "$@"
    ;;
  analysis)
    exec java -cp ramp-bench/target/benchmarks.jar dev.ramp.bench.AnalysisSimulation "$@"
    ;;
esac
