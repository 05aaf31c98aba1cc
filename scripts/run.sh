#!/usr/bin/env bash
# The main job: set up (scripts/setup.sh), load the sample library, build the index and serve
# the site on http://127.0.0.1:${PORT:-8080}/ (HOST and PORT may be set; Ctrl-C stops it).
#
# The sample library ships in library/ (it was imported from ../shared/seeds with
# 'reslib import' and completed by hand); 'reslib check' validates it, 'reslib reindex'
# builds indexes/ from it alone.
set -euo pipefail
cd "$(dirname "$0")/.."
RESLIB_SKIP_BROWSER=1 scripts/setup.sh
export RESLIB_HOME="$PWD"
.venv/bin/reslib check
.venv/bin/reslib reindex --procs 2
exec .venv/bin/reslib serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8080}"
