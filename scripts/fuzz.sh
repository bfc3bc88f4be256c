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
# The JSON targets start from the shipped files: every example scenario; the example
# directory with each query of the examples after a NUL; a session on a call.
seed_dir() { [[ " ${targets[*]} " == *" $1 "* ]] && [ ! -d "fuzz/seeds/$1" ] && mkdir -p "fuzz/seeds/$1"; }
if seed_dir scenario_run; then
  cp examples/scenarios/*.json src/sim/default_scenario.json fuzz/seeds/scenario_run/
fi
if seed_dir directory_query; then
  n=0
  grep -ho '"api": "[^"]*"' examples/scenarios/*.json | sed 's/^"api": "//; s/"$//' | while read -r q; do
    n=$((n + 1))
    { cat examples/world.json; printf '\0%s' "$q"; } >"fuzz/seeds/directory_query/q$n"
  done
fi
# api_query starts from requests that reach the debug output (a leading `!` selects the
# edge world, which allows web debugging), a POST without `value` (after a NUL) and arrays.
if seed_dir api_query; then
  a='source=crm&user=6666&pass=1234'
  printf '!%s' "$a&function=force_fronter_leave_3way&value=LOCAL_AND_CCC&agent_user=1003&DB=1" >fuzz/seeds/api_query/ccc_db
  printf '!%s' "$a&function=transfer_conference&value=LOCAL_CLOSER&agent_user=1001&ingroup_choices=DEFAULTINGROUP&multi_dial_phones=5551111&md_check=YES&tw_check=YES&DB=1" >fuzz/seeds/api_query/tc_db
  printf '%s' "$a&function=park_call&value=PARK_CUSTOMER&agent_user=1001&format=debug&close_window_link=1" >fuzz/seeds/api_query/park_page
  printf '!%s' "function=version&DB=1&user=6666" >fuzz/seeds/api_query/version_db
  printf '%s\0%s' "agent_user=1001" "$a&function=external_hangup&x=1" >fuzz/seeds/api_query/post_no_value
  printf '%s' "$a&function=transfer_conference&value=BLIND_TRANSFER&agent_user=1001&phone_number[]=5551234&group_alias[]=X" >fuzz/seeds/api_query/arrays
fi
# answer_text starts from line ends that once broke the render-parse round trip.
if seed_dir answer_text; then
  printf 'ERROR: Invalid Source - x\r\r\nOR: \r\r\nNOTICE: a\r\r\r' >fuzz/seeds/answer_text/carriage_returns
fi
if seed_dir session_json; then
  printf '%s\0call 7\ntransfer HANGUP_XFER---------NO------------1700000000\ntick\nanswer 2\n' \
    '{"config":{"first_room":8600051,"transfer_no_dispo":{"local":false,"external":false,"leave3way":false},"manual_dial":false,"three_way_dial_prefix":"","phone_code":"1","omit_phone_code":false,"override_disabled":false,"three_way_call_cid":"Campaign","hangup_xfer_record_start":false,"leave_3way_stop_recording":false,"server_cleanup_on_hangup":true,"consult_delay":0,"required_fields":false,"agent_hangup_route":"Hangup","leave_3way_cleanup_checks":3},"agent":{"InCall":{"lead":42,"customer":1}},"room":8600051,"screen":{"last_command":null,"cooldown":0,"override_checked":false,"consultative_checked":false,"selected_group":null,"customer_parked":false,"blind_transfer":false,"redirected":false,"leaving_threeway":false,"xfer_channel":null,"dial":"Idle","consult":"Idle","recording":false,"fields_filled":true},"slots":{"transferconf":{"value":null,"clearing":"Idle"},"park":{"value":null,"clearing":"Idle"},"hangup":{"value":null,"clearing":"Idle"}},"legs":{"customers":[{"id":1,"lead":42,"at":{"Room":8600051}}],"xfers":[]},"left":[],"free_conferences":true,"next_leg":2}' \
    >fuzz/seeds/session_json/on_a_call
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
