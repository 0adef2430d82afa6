#!/usr/bin/env bash
# Sets up everything the project needs on a machine that has only the .NET SDK and the
# Postgres binaries: Debian packages, the npm Stripe SDK for tests, restore, build and ReadyToRun.
# Idempotent and quiet when everything is already there. Usage: build/setup.sh [--browser] [--no-build]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

want_browser=0; want_build=1
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --no-build) want_build=0 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

fail() { echo "setup: $*" >&2; exit 1; }
step() { [ -n "${SETUP_VERBOSE:-}" ] && echo "setup: $*" || true; }

command -v dotnet >/dev/null || fail "the .NET SDK is missing: install .NET SDK 10 and run again."
[ -x "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)" ] \
  || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || fail "Postgres binaries are missing: apt-get install postgresql."

# 1. Debian packages that are not on a fresh machine.
missing=()
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || ls /usr/lib/rabbitmq/lib/rabbitmq_server-*/sbin/rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v setpriv >/dev/null || missing+=(util-linux)
if [ "$want_browser" = 1 ]; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v node >/dev/null || missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  [ "$(id -u)" = 0 ] || fail "installing ${missing[*]} needs root (or sudo apt-get install ${missing[*]})."
  apt-get update -qq >/tmp/billing-apt.log 2>&1 || fail "apt-get update failed (see /tmp/billing-apt.log)."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >>/tmp/billing-apt.log 2>&1 \
    || fail "apt-get install ${missing[*]} failed (see /tmp/billing-apt.log)."
  # The Debian packages start a system-wide broker and redis we do not use: stop those services
  # (only them, through their own init scripts) so their ports stay free.
  (service rabbitmq-server stop; service redis-server stop) >/dev/null 2>&1 || true
fi

# 1b. The official Stripe SDK the sandbox tests drive (pinned by tests/stripe-sdk/package-lock.json).
if [ "$want_browser" = 1 ] && [ ! -d "$root/tests/stripe-sdk/node_modules" ]; then
  step "installing tests/stripe-sdk"
  (cd "$root/tests/stripe-sdk" && npm ci --silent --no-audit --no-fund >/tmp/billing-npm.log 2>&1) \
    || fail "npm ci in tests/stripe-sdk failed (see /tmp/billing-npm.log)."
fi

# 2. Restore and build.
if [ "$want_build" = 1 ]; then
  step "building"
  log="$root/.data/build.log"; mkdir -p "$root/.data"
  if ! dotnet build Billing.sln -c Release -nologo -v q -clp:ErrorsOnly >"$log" 2>&1; then
    grep -E "error" "$log" | sort -u | head -n 30 >&2
    fail "build failed (full log: $log)."
  fi
  # 3. The programs the AppHost starts, precompiled: a start spends less of its CPU in the JIT.
  step "precompiling (ReadyToRun)"
  build/ready-to-run.sh 2>>"$log" || fail "ReadyToRun compilation failed (full log: $log)."
fi
