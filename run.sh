#!/usr/bin/env bash
# Sets up whatever is missing and runs the whole system: Postgres, RabbitMQ, Redis, the Stripe
# sandbox, every service and the gateway, health-gated, with a dashboard. Ctrl+C stops it all.
# Usage: ./run.sh [--wipe] [--data dir] [--port n] [--dashboard-port n] [--external ...]   (README.md, "Running")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
build/setup.sh
exec dotnet Billing.AppHost/bin/Release/net10.0/Billing.AppHost.dll --root "$root" "$@"
