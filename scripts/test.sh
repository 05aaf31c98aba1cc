#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs every check CI runs: ruff lint, ruff format, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
