#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the C++ unit and
# end-to-end tests (ctest), the web map's tests (vitest), and the map's
# browser test in Debian's headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --browser
bash scripts/build.sh
(cd build && ctest --output-on-failure --parallel "$(nproc)")
(cd web && npm test)
# The map in headless Chromium against the real binary on the examples.
node tests/browser/map-e2e.mjs build/radstream --screenshot-dir build/browser-test
