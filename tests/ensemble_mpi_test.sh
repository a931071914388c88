#!/usr/bin/env bash
# An ensemble under `mpirun -np 2` writes the same bytes as in one process (docs/uncertainty.md).
# Arguments: DOSEFLOW MPIEXEC SCENARIO WORKDIR
set -euo pipefail
doseflow="$1" mpiexec="$2" scenario="$3" work="$4"
rm -rf "$work" && mkdir -p "$work"
args=(ensemble "$scenario" --members 5 --days 30 --seed 3)
"$doseflow" "${args[@]}" --threads 2 --out "$work/one" --quiet
# --oversubscribe: the test machine may have fewer cores than ranks; as root Open MPI also needs the two
# OMPI_ALLOW_RUN_AS_ROOT variables (set by the test).
"$mpiexec" -np 2 --oversubscribe "$doseflow" "${args[@]}" --threads 1 --out "$work/mpi" > "$work/mpi.txt"
grep -q "(2 ranks x 1 thread)" "$work/mpi.txt" || { echo "the MPI run did not use 2 ranks:"; cat "$work/mpi.txt"; exit 1; }
for file in members.csv quantiles.csv summary.json; do
  cmp "$work/one/$file" "$work/mpi/$file" || { echo "$file differs between one process and 2 MPI ranks"; exit 1; }
done
echo "same bytes from 1 process and 2 MPI ranks"
