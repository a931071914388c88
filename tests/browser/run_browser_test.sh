#!/bin/sh
# Renders the fixture run into an HTML report and checks it in headless Chromium (report_browser_test.js).
# Exits 77 (ctest SKIP_RETURN_CODE) when node, Chromium or node_modules/playwright-core is missing;
# scripts/install-deps installs all three.
# Usage: run_browser_test.sh FIXTURE_EXE RUN_DIR HTML_OUT SOURCE_DIR EXPECTED_CHARTS
set -u
fixture_exe=$1 run_dir=$2 html_out=$3 source_dir=$4 expected_charts=$5
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

"$fixture_exe" "$run_dir" "$html_out" || { echo "FAIL: the report could not be written"; exit 1; }
exec node "$source_dir/tests/browser/report_browser_test.js" "$html_out" "$expected_charts"
