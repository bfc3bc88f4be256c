#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time on the nightly toolchain.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Installs cargo-fuzz (and the nightly toolchain) if missing. Seeds each corpus from
# fuzz/seeds/<target> when present. Full logs go to fuzz/logs/<target>.log; the summary
# (executions, rate) is printed, and on a crash the panic message and the artifact path.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi
mkdir -p fuzz/logs
# The session_script corpus is seeded with the explorer's shortest paths to the deepest
# states it reaches (depth-bounded here so that it takes seconds).
if [[ " ${targets[*]} " == *" session_script "* ]] && [ ! -d fuzz/seeds/session_script ]; then
  cargo run --release --quiet -- explore --max-legs 2 --max-depth 10 --seeds fuzz/seeds/session_script >/dev/null || true
fi
status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  seeds=()
  [ -d "fuzz/seeds/$t" ] && seeds=("../fuzz/seeds/$t")
  echo "== fuzz $t for ${seconds}s"
  log="fuzz/logs/$t.log"
  if (cd fuzz && cargo +nightly fuzz run "$t" "corpus/$t" "${seeds[@]}" -- \
        -max_total_time="$seconds" -print_final_stats=1) >"$log" 2>&1; then
    grep -aE "^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|INFO: seed corpus)" "$log" || true
  else
    status=1
    grep -aE "panicked|^thread|SUMMARY|Test unit written|left:|right:" -A2 "$log" | head -n 30
  fi
done
exit $status
