#!/usr/bin/env bash
# Compiles the managed assemblies of the programs the AppHost starts (the services, the gateway, the
# Stripe sandbox, the migrations they run, and the AppHost itself) ahead of time, to ReadyToRun code,
# in place in their bin folders. Why: a start is CPU-bound on two cores, and most of each program's
# start was the JIT compiling its own and its packages' code (README, "Running", has the figures).
# The framework is shipped precompiled; NuGet packages and our assemblies are not.
#
# Each distinct assembly is compiled once, cached under artifacts/ready-to-run by the hash of its IL,
# and copied into every bin folder holding it; a later build that copies the IL back costs only the
# copy. An assembly crossgen2 cannot compile (native, reference-only, already precompiled) is left as
# it is. Run by build/setup.sh after each build. Usage: build/ready-to-run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# An optimisation only: where it cannot run, the programs run as built, and start slower.
skip() { echo "ready-to-run: skipped, $*; the programs start slower"; exit 0; }
[ "$(uname -sm)" = "Linux x86_64" ] || skip "it precompiles for Linux x64 only"

bins=(services/*/bin/Release/net10.0 gateway/bin/Release/net10.0 stripe/Sandbox/bin/Release/net10.0 Billing.AppHost/bin/Release/net10.0)

# crossgen2 of the SDK's own runtime version: restored by the AppHost project (PackageDownload).
property() { sed -n "s/^ *\"$1\": \"\(.*\)\",\?$/\1/p" <<<"$restored"; }
restored="$(dotnet msbuild Billing.AppHost/Billing.AppHost.csproj -getProperty:NuGetPackageRoot -getProperty:BundledNETCoreAppPackageVersion 2>/dev/null || true)"
version="$(property BundledNETCoreAppPackageVersion)"
crossgen="$(property NuGetPackageRoot)/microsoft.netcore.app.crossgen2.linux-x64/$version/tools/crossgen2"
[ -x "$crossgen" ] || skip "$crossgen is missing (restoring Billing.AppHost downloads it)"

# The shared frameworks the programs run on (the newest 10.x): references for the compiler.
framework() { dotnet --list-runtimes | awk -v n="$1" '$1 == n && $2 ~ /^10\./ { gsub(/[\[\]]/, "", $3); print $3 "/" $2 }' | sort -V | tail -n 1; }
netcore="$(framework Microsoft.NETCore.App)"; aspnet="$(framework Microsoft.AspNetCore.App)"

cache="$root/artifacts/ready-to-run/$version"
mkdir -p "$cache"

# 1. Every assembly of every bin folder, by hash; the first folder holding one gives its references.
declare -A folder_of=()
listing="$(mktemp)"; trap 'rm -f "$listing"' EXIT
for bin in "${bins[@]}"; do
  [ -d "$bin" ] || continue
  (cd "$bin" && sha256sum -- *.dll) | while read -r hash file; do echo "$hash $bin/${file#\*}"; done >>"$listing"
done
while read -r hash path; do
  [ -e "$cache/$hash.dll" ] || [ -e "$cache/$hash.keep" ] || [ -n "${folder_of[$hash]:-}" ] || folder_of[$hash]="$path"
done <"$listing"

# 2. Compile what the cache lacks, one assembly per core at a time. Outputs are marked too, so an
#    assembly already replaced by its compiled form is recognised and left alone next time.
compile() {
  local hash=$1 path=$2 bin; bin="$(dirname "$path")"
  if "$crossgen" "$path" -o "$cache/$hash.tmp" --targetos:linux --targetarch:x64 -O \
       -r "$netcore/*.dll" -r "$aspnet/*.dll" -r "$bin/*.dll" >"$cache/$hash.log" 2>&1; then
    mv "$cache/$hash.tmp" "$cache/$hash.dll"
    touch "$cache/$(sha256sum "$cache/$hash.dll" | cut -d' ' -f1).keep"
    rm -f "$cache/$hash.log"
  else
    rm -f "$cache/$hash.tmp"; touch "$cache/$hash.keep"
  fi
}
export -f compile; export crossgen cache netcore aspnet
if [ ${#folder_of[@]} -gt 0 ]; then
  echo "ready-to-run: compiling ${#folder_of[@]} assemblies (once; cached in artifacts/ready-to-run)"
  for hash in "${!folder_of[@]}"; do printf '%s\0%s\0' "$hash" "${folder_of[$hash]}"; done \
    | xargs -0 -n 2 -P "$(nproc)" bash -c 'compile "$1" "$2"' _
fi

# 3. Each bin folder gets the compiled form of each of its assemblies.
while read -r hash path; do
  [ -e "$cache/$hash.dll" ] && cp "$cache/$hash.dll" "$path"
done <"$listing"
