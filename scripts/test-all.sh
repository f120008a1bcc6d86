#!/usr/bin/env bash
# `npm test`: every check, in order, stopping at the first failure; always ends with a summary and a final
# "N passed, N failed" line. Tests count one each; a failing step without tests (layers, types, lint, build,
# harness) counts as one failure. Skipped tests count as failures: the project allows no skipped checks.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
logs="$root/.artifacts/test-logs"
mkdir -p "$logs"

passed=0
failed=0
stopped=""
summary=()

# run_step NAME COMMAND...: runs unless an earlier step failed; output goes to the terminal and to a log.
run_step() {
  local name=$1
  shift
  if [ -n "$stopped" ]; then
    summary+=("$(printf '%-12s skipped (stopped after %s)' "$name" "$stopped")")
    return 0
  fi
  echo
  echo "=== $name: $*"
  local started=$SECONDS rc
  "$@" 2>&1 | tee "$logs/$name.log"
  rc=${PIPESTATUS[0]}
  local took=$((SECONDS - started))
  if [ "$rc" -eq 0 ]; then
    summary+=("$(printf '%-12s ok       %4ss' "$name" "$took")")
  else
    summary+=("$(printf '%-12s FAILED   %4ss (exit %s, log .artifacts/test-logs/%s.log)' "$name" "$took" "$rc" "$name")")
    stopped=$name
  fi
  return "$rc"
}

unit_tests() {
  local files=()
  if [ -d dist-test/unit ]; then mapfile -t files < <(find dist-test/unit -name '*.test.js' | sort); fi
  if [ ${#files[@]} -eq 0 ]; then
    echo "no unit tests found in dist-test/unit"
    return 1
  fi
  # spec for people, TAP in a file for the counts
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$logs/unit.tap" "${files[@]}"
}

tap_count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$logs/unit.tap" | tail -1; }

count_unit() {
  [ -f "$logs/unit.tap" ] || return 0
  local pass fail cancelled skipped todo
  pass=$(tap_count pass) fail=$(tap_count fail) cancelled=$(tap_count cancelled)
  skipped=$(tap_count skipped) todo=$(tap_count todo)
  local bad=$(( ${fail:-0} + ${cancelled:-0} + ${skipped:-0} + ${todo:-0} ))
  [ $(( ${skipped:-0} + ${todo:-0} )) -gt 0 ] && echo "unit: ${skipped:-0} skipped and ${todo:-0} todo test(s) count as failures"
  echo "unit: ${pass:-0} passed, $bad failed"
  passed=$((passed + ${pass:-0}))
  failed=$((failed + bad))
  unit_failed=$bad
}

count_vscode() {
  [ -f "$logs/vscode.log" ] || return 0
  local line p f
  while IFS= read -r line; do
    p=$(sed -E 's/^vscode: ([0-9]+) passed, ([0-9]+) failed.*/\1/' <<<"$line")
    f=$(sed -E 's/^vscode: ([0-9]+) passed, ([0-9]+) failed.*/\2/' <<<"$line")
    passed=$((passed + p))
    failed=$((failed + f))
    vscode_failed=$((vscode_failed + f))
  done < <(grep -E '^vscode: [0-9]+ passed, [0-9]+ failed' "$logs/vscode.log")
}

started=$SECONDS
rm -f "$logs"/*.log "$logs/unit.tap"
run_step layers node scripts/check-layers.mjs
run_step typecheck npm run -s typecheck
run_step lint npm run -s lint
run_step format npm run -s format:check
run_step build node scripts/build.mjs
run_step unit unit_tests
run_step vscode bash scripts/vscode/run-tests.sh

unit_failed=0
vscode_failed=0
echo
echo "=== summary ($((SECONDS - started))s)"
for line in "${summary[@]}"; do echo "  $line"; done
count_unit
count_vscode
# A failed step that reported no failed test (it has no tests, or broke before counting) is one failure.
for line in "${summary[@]}"; do
  case "$line" in
    unit\ *FAILED*) [ "$unit_failed" -gt 0 ] || failed=$((failed + 1)) ;;
    vscode\ *FAILED*) [ "$vscode_failed" -gt 0 ] || failed=$((failed + 1)) ;;
    *FAILED*) failed=$((failed + 1)) ;;
  esac
done
echo "$passed passed, $failed failed"
[ -z "$stopped" ] && [ "$failed" -eq 0 ]
