#!/usr/bin/env bash
# Installs what radstream needs on Debian 12 and is missing: the C++
# libraries and build tools from Debian's packages, plus Node.js and npm
# for the web map when the machine lacks them. With --browser it also
# installs Debian's Chromium for the map's browser test. Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  librdkafka-dev libboost1.81-dev libsimdjson-dev libfmt-dev libspdlog-dev
  libtomlplusplus-dev libcli11-dev catch2 libbenchmark-dev libjemalloc-dev
)
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
# The Kafka tests run a real broker from Maven Central's jars.
if ! command -v java >/dev/null 2>&1; then
  packages+=(openjdk-17-jre-headless)
fi
if ! command -v mvn >/dev/null 2>&1; then
  packages+=(maven)
fi
if [ "${1:-}" = "--browser" ]; then
  packages+=(chromium)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
