#!/usr/bin/env bash
# Sets up whatever is missing and runs the whole system through the .NET Aspire AppHost: Postgres,
# RabbitMQ, Redis, the Stripe sandbox, every service and the gateway, health-gated, with the Aspire
# dashboard. Ctrl+C (or SIGTERM) stops it all.
# Usage: ./run.sh [--wipe] [--data dir] [--port n] [--dashboard-port n] [--external]   (README.md, "Running")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

# Build only when a source changed since the last good build: even a no-op build of the whole
# solution takes longer than starting the system.
stamp=.data/build.stamp
changed="$( [ -f "$stamp" ] && find . \( -name bin -o -name obj -o -name .data -o -name .git -o -name node_modules \) -prune \
  -o -type f -newer "$stamp" -print -quit || echo never-built)"
if [ -n "$changed" ]; then
  build/setup.sh
  touch "$stamp"
else
  build/setup.sh --no-build
fi
# The AppHost gets the delayed tier-up it gives every .NET program it starts (Billing.AppHost/Programs/
# ProgramRuntimeSettings.cs): during a start its tier-up thread recompiled hot methods while both cores were busy.
DOTNET_TC_CallCountingDelayMs=1000 exec dotnet Billing.AppHost/bin/Release/net10.0/Billing.AppHost.dll "$@"
