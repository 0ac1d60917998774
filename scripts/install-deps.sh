#!/usr/bin/env bash
# Installs the Debian 12 packages healthbook needs to build, run and test.
# Idempotent: it asks apt only for what is missing, non-interactively.
# Usage: scripts/install-deps.sh [build|run|test|bench]   (default: build)
# run = build + what `make run` starts beside the server (Orthanc as the PACS, the simulators)
set -euo pipefail

profile=${1:-build}

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libboost-dev libssl-dev libsqlite3-dev rapidjson-dev
  libspdlog-dev libfmt-dev libcli11-dev libargon2-dev libpugixml-dev
  libqrencode-dev libpng-dev libcurl4-openssl-dev libdcmtk-dev
  libxml2-dev libxmlsec1-dev libnss3-dev libpq-dev libzstd-dev
)
# chromium: the web application's end-to-end tests (tests/e2e: playwright-core drives it headless)
# xmlsec1, softhsm2, opensc, libnss3-tools: the claims tests verify signatures with the xmlsec1
# CLI and sign on a SoftHSM2 PKCS#11 token (tests/integration/test_claims.py)
# postgresql: the PostgreSQL store's tests start throw-away clusters (initdb, pg_ctl)
test_pkgs=(googletest libgtest-dev libgmock-dev sqlite3 postgresql curl procps python3 python3-cryptography clang libclang-rt-14-dev python3-hl7 chromium dcmtk python3-pydicom orthanc orthanc-dicomweb xmlsec1 softhsm2 opensc libnss3-tools)
bench_pkgs=(libbenchmark-dev wrk nginx-light hyperfine zstd)
run_pkgs=(python3 curl orthanc orthanc-dicomweb)

wanted=("${build_pkgs[@]}")
case "$profile" in
  build) ;;
  run) wanted+=("${run_pkgs[@]}") ;;
  test) wanted+=("${test_pkgs[@]}") ;;
  bench) wanted+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "install-deps: unknown profile '$profile' (build|run|test|bench)" >&2; exit 2 ;;
esac

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# npm fetches the FHIR definitions package at build time and builds the web application
# (web/: Vite, React, TypeScript; Debian 12's nodejs 18 is enough). Some machines carry a
# Node.js build that bundles npm (and conflicts with Debian's npm package), so
# ask for Debian's only when no npm command is there at all.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#wanted[@]} packages for '$profile' are present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
