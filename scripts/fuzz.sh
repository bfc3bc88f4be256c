#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time on the nightly toolchain.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Installs cargo-fuzz if it is missing. Seeds each corpus from fuzz/seeds/<target> when present.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("fuzz/seeds/$t")
  echo "== fuzz $t for ${seconds}s"
  (cd fuzz && cargo +nightly fuzz run "$t" "corpus/$t" "${seeds[@]/#/../}" -- -max_total_time="$seconds" -print_final_stats=1 2>&1) \
    | grep -E "^(#|stat::number_of_executed_units|stat::average_exec_per_sec|==|SUMMARY|INFO: seed)" | tail -n 6
done
