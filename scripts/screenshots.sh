#!/usr/bin/env bash
# The README's pictures (docs/images/): the report's first screen at 1280 px and the latency chart,
# drawn from a results file: by default the tests' fixture, a real default run, so they change only
# when the report does. `make screenshots [RUN=results/<run-id>.json]`.
set -euo pipefail
cd "$(dirname "$0")/.."
run="${1:-tests/fixtures/default-subset.json}"
[ -f "$run" ] || { echo "ipcbench: no results file '$run'; pass RUN=FILE" >&2; exit 2; }
command -v chromium >/dev/null || { echo "ipcbench: chromium is missing: run 'make test-deps'" >&2; exit 2; }
py="$(scripts/find-python)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$py" -m plots.report "$run" --out-dir "$out" >/dev/null
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,900 \
  --screenshot="$out/first-screen.png" "file://$out/report.html" >/dev/null 2>&1
mkdir -p docs/images
cp "$out/first-screen.png" docs/images/report-first-screen.png
cp "$out/latency.png" docs/images/latency.png
echo "docs/images/report-first-screen.png docs/images/latency.png (from $run)"
