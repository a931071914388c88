#!/bin/sh
# Starts `doseflow serve` on a free loopback port with a small scenario and checks the what-if page in headless
# Chromium (serve_browser_test.js); then checks that the server refuses a non-loopback address.
# Exits 77 (ctest SKIP_RETURN_CODE) when node, Chromium or node_modules/playwright-core is missing.
# Usage: run_serve_browser_test.sh DOSEFLOW_EXE SCENARIO WORK_DIR SOURCE_DIR
set -u
doseflow=$1 scenario=$2 work_dir=$3 source_dir=$4
chromium=${DOSEFLOW_CHROMIUM:-/usr/bin/chromium}

if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: node is not installed (scripts/install-deps installs it)"; exit 77
fi
if [ ! -x "$chromium" ]; then
    echo "SKIP: no Chromium at $chromium (scripts/install-deps installs it; DOSEFLOW_CHROMIUM names another)"; exit 77
fi
if [ ! -d "$source_dir/node_modules/playwright-core" ]; then
    echo "SKIP: $source_dir/node_modules/playwright-core is missing (run npm install, or scripts/install-deps)"; exit 77
fi

if "$doseflow" serve "$scenario" --host 0.0.0.0 --port 0 >/dev/null 2>&1; then
    echo "FAIL: doseflow serve accepted --host 0.0.0.0"; exit 1
fi

rm -rf "$work_dir" && mkdir -p "$work_dir"
"$doseflow" serve "$scenario" --port 0 >"$work_dir/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
url=""
for _ in $(seq 1 600); do
    url=$(sed -n 's|^doseflow serve: \(http://127.0.0.1:[0-9]*/\).*|\1|p' "$work_dir/serve.log")
    [ -n "$url" ] && break
    kill -0 $server 2>/dev/null || { echo "FAIL: doseflow serve stopped:"; cat "$work_dir/serve.log"; exit 1; }
    sleep 0.2
done
[ -n "$url" ] || { echo "FAIL: doseflow serve did not start listening"; exit 1; }
node "$source_dir/tests/browser/serve_browser_test.js" "$url" "$doseflow" "$work_dir"
