#!/usr/bin/env bash
# Installs the Debian packages the test suite starts for real (it never mocks them):
#   chromium                 the fleet status page's browser tests (driven by playwright-core, no download)
#   prometheus               analysis gates and the alert pipeline (Prometheus 2.42 in Debian 12)
#   prometheus-alertmanager  the alert pipeline's Alertmanager
#   redis-server             several replicas sharing locks, leases and de-duplication
# Only what is missing is installed (apt-get install --no-install-recommends). The tests start their own servers
# on free ports; services the packages may start are never used (and are stopped where this script started them).
# Set FLEETWARD_SKIP_APT=1 to check only (the script then fails when something is missing).
set -euo pipefail

declare -A binary_of=(
  [chromium]=/usr/bin/chromium
  [prometheus]=/usr/bin/prometheus
  [prometheus-alertmanager]=/usr/bin/prometheus-alertmanager
  [redis-server]=/usr/bin/redis-server
)

missing=()
for pkg in chromium prometheus prometheus-alertmanager redis-server; do
  if [ ! -x "${binary_of[$pkg]}" ]; then missing+=("$pkg"); fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "${FLEETWARD_SKIP_APT:-}" = "1" ]; then
  echo "setup-test-deps: missing ${missing[*]} and FLEETWARD_SKIP_APT=1" >&2
  exit 1
fi

run_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup-test-deps: installing ${missing[*]} needs root (or sudo)" >&2; exit 1
  fi
}

echo "setup-test-deps: installing ${missing[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
# Keep package scripts from starting the services (the tests start their own on free ports).
policy_rc=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy_rc" ]; then
  run_as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy_rc && chmod +x $policy_rc"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then run_as_root rm -f "$policy_rc"; fi; }
trap cleanup EXIT

# Debian's apt lists may be missing on a fresh machine: update once when an install cannot find a package.
if ! run_as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/fleetward-apt.log 2>&1; then
  run_as_root apt-get update -q >>/tmp/fleetward-apt.log 2>&1
  run_as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/fleetward-apt.log 2>&1 || {
    tail -30 /tmp/fleetward-apt.log >&2; exit 1; }
fi

for pkg in "${missing[@]}"; do
  if [ ! -x "${binary_of[$pkg]}" ]; then
    echo "setup-test-deps: $pkg installed but ${binary_of[$pkg]} is missing" >&2; exit 1
  fi
done
echo "setup-test-deps: installed ${missing[*]}" >&2
