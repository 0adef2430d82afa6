#!/usr/bin/env bash
# Sets up whatever is missing, builds, and runs every test against real Postgres, RabbitMQ,
# Redis and the Stripe sandbox (the tests start them as child processes in a temp folder).
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Outbox]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
build/setup.sh --browser
mkdir -p .data/test-results
log=.data/test-results/test.log
set +e
dotnet test Billing.sln -c Release --no-build -nologo --logger "console;verbosity=normal" \
  --results-directory .data/test-results "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# The failures again at the end, where a CI log's tail shows them: each failed test's name and
# the first lines of its message (the full output is in the log above).
awk '/^  (Passed|Skipped) / { n = 0 } /^  Failed .* \[[0-9][^]]*\]$/ { n = 14 } n > 0 { print; n-- }' "$log" > "$log.failed"
if [ -s "$log.failed" ]; then echo "failed tests:"; cat "$log.failed"; fi
# One plain closing line for the whole run, summed over every test assembly.
sum() { grep -Eo "$1: +[0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
echo "tests: $(sum Passed) passed, $(sum Failed) failed"
exit "$rc"
