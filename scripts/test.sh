#!/usr/bin/env bash
# The project's test command (README, .ci/run): brings up the one-node Slurm of
# scripts/slurm-local.sh, runs `swift test -c release` with SLURM_CONF set (so the Slurm
# integration test runs, never skips), then the end-to-end tests of `diffdub serve`
# (scripts/test-serve.sh: crash recovery, concurrent readers, the page in chromium, schemathesis;
# they use the `diffdub` that `swift test` built), and always stops the daemons it started.
#
#   bash scripts/test.sh                      the whole suite, then the server's end-to-end tests
#   bash scripts/test.sh --filter JobTests    arguments go to `swift test` (and the end-to-end
#                                             tests are left out: scripts/test-serve.sh runs them)
#
# Slurm's state lives under $DIFFDUB_SLURM_DIR (default /tmp/diffdub-slurm); installing Slurm
# the first time needs root or sudo (apt). The test run is the last thing printed: the
# daemons are stopped quietly (their messages go to $DIFFDUB_SLURM_DIR/log/down.log).
set -euo pipefail
cd "$(dirname "$0")/.."

export DIFFDUB_SLURM_DIR="${DIFFDUB_SLURM_DIR:-/tmp/diffdub-slurm}"
stop_slurm() { mkdir -p "$DIFFDUB_SLURM_DIR/log" && bash scripts/slurm-local.sh down >"$DIFFDUB_SLURM_DIR/log/down.log" 2>&1 || true; }
trap stop_slurm EXIT
bash scripts/slurm-local.sh up
SLURM_CONF="$(bash scripts/slurm-local.sh conf)"
export SLURM_CONF

swift test -c release "$@"
if [ $# -eq 0 ]; then
    bash scripts/test-serve.sh
fi
