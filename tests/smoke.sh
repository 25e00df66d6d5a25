#!/usr/bin/env bash
# Smoke test of the whole flow a user runs: the quick profile (narrowed below), its JSON read by Google
# Benchmark's own compare.py, and the plot step on the result. Skips (a kernel limit on this
# machine, reason in error_message) are allowed; failures are not.
set -euo pipefail
ipcbench=$1
python=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The quick profile with six mechanisms of the ipc family (a kernel stream, a socket, a message queue,
# a shared-memory ring, ZeroMQ, io_uring) instead of all 35, which have their own tests; every other
# family whole. It keeps make test within five minutes.
"$ipcbench" --profile=quick --out="$dir/quick.json" \
  --filter='^(ipc/(pipe|shm_ring\.spin|tcp|posix_mq|zmq\.ipc|uring)/|io/|[a-hj-z])'
"$python" -c 'import sys; from plots.model import results; d=results.load(sys.argv[1]); assert d["benchmarks"] and all(results.is_skip(b) for b in d["benchmarks"] if b.get("error_occurred"))' "$dir/quick.json"
if [ -f /usr/share/benchmark/compare.py ]; then
  "$python" /usr/share/benchmark/compare.py benchmarks "$dir/quick.json" "$dir/quick.json" >"$dir/compare.txt"
  grep -q "ipc/pipe/latency/peer:process/pin:cross/size:64" "$dir/compare.txt"
fi
# As make bench: the reports, each drawing its language's charts (plots.render draws the same
# English ones, so it is not run again here).
"$python" -m plots.report "$dir/quick.json" --out-dir "$dir/report" --lang en
"$python" -m plots.report "$dir/quick.json" --out-dir "$dir/report" --lang zh
for f in report.html report.md report.zh.html report.zh.md latency.svg latency.png latency.zh.svg \
  throughput.svg throughput.png spawn.svg scaling.svg homework.svg homework.zh.svg; do
  test -s "$dir/report/$f" || { echo "smoke: missing $f" >&2; exit 1; }
done
echo "smoke: quick profile, compare.py, charts and reports OK"
