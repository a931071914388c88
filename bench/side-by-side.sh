#!/usr/bin/env bash
# Runs the default scenario with the release build of commit 82fd2fa and with the current build, alternately, on
# one core (taskset -c CORE), and prints the median wall-clock and user time of each and their ratio.
#   bench/side-by-side.sh [OLD_BINARY] [RUNS]
# Without OLD_BINARY, 82fd2fa is built in a temporary git worktree (a few minutes). The current binary is
# build/release/bin/doseflow (make build). CORE defaults to 0.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
old="${1:-}"
runs="${2:-5}"
core="${CORE:-0}"
new="$root/build/release/bin/doseflow"
[[ -x "$new" ]] || { echo "side-by-side: $new is missing; run make build first" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"; [[ -n "${tree:-}" ]] && git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || true' EXIT
if [[ -z "$old" ]]; then
    tree="$work/old-tree"
    git -C "$root" worktree add --detach "$tree" 82fd2fa >/dev/null
    (cd "$tree" && ln -s "$root/node_modules" node_modules 2>/dev/null || true
     cmake --preset release >/dev/null && cmake --build --preset release --target doseflow >/dev/null)
    old="$tree/build/release/bin/doseflow"
fi
measure() {  # binary label -> appends "wall user" to $work/label
    local out="$work/out-$2"
    rm -rf "$out"
    /usr/bin/time -f "%e %U %M" -o "$work/time" taskset -c "$core" "$1" run --quiet --out "$out" >/dev/null
    cat "$work/time" >> "$work/$2"
}
for ((i = 0; i < runs; i++)); do measure "$old" old; measure "$new" new; done
/usr/bin/python3 - "$work" <<'PY'
import statistics, sys
work = sys.argv[1]
def load(label):
    rows = [list(map(float, line.split())) for line in open(f"{work}/{label}")]
    return [statistics.median(column) for column in zip(*rows)]
old, new = load("old"), load("new")
print(f"{'':10}{'wall s':>10}{'user s':>10}{'peak MB':>10}")
print(f"{'82fd2fa':10}{old[0]:10.3f}{old[1]:10.3f}{old[2] / 1024:10.1f}")
print(f"{'current':10}{new[0]:10.3f}{new[1]:10.3f}{new[2] / 1024:10.1f}")
print(f"{'ratio':10}{old[0] / new[0]:10.1f}{old[1] / max(new[1], 1e-3):10.1f}")
PY
