#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the C++ unit and
# end-to-end tests (ctest) and the web map's tests (vitest).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh
(cd build && ctest --output-on-failure --parallel "$(nproc)")
(cd web && npm test)
