#!/usr/bin/env bash
# Configures and builds radstream into build/ (the web map included, which
# runs npm ci and npm run build in web/ on the first build). Arguments name
# the targets to build; without any, everything is built, tests included.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
targets=()
for target in "$@"; do
  targets+=(--target "$target")
done
cmake --build build --parallel "$(nproc)" "${targets[@]}"
