#!/usr/bin/env bash
# Sets up (scripts/setup.sh), then runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/reslib --help
