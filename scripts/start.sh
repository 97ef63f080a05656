#!/usr/bin/env bash
# Installs what is missing, builds, and runs radstream on the shipped
# config: the real Safecast examples, embedded topics, and the map at
# http://127.0.0.1:8000/. Extra arguments go to radstream.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh radstream
exec build/radstream --config radstream.toml "$@"
