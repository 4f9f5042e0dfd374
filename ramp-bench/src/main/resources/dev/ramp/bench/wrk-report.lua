-- After wrk's own report, prints one line that FeaturesBenchmark parses. Only done() is defined: a script with
-- request() or response() would put Lua on every request and slow wrk down.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d"
      .. " connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
