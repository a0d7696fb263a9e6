#!/usr/bin/env bash
# Builds the DocC documentation of both libraries (Sources/DiffDubCore/DiffDubCore.docc,
# Sources/DiffDubIO/DiffDubIO.docc) with warnings treated as errors: a stale link (a symbol
# renamed, removed or made `package`), a topic listing a symbol that is not public, or a
# parameter without documentation fails the build. .ci/run calls it before the tests.
#
#   bash scripts/docs.sh        archives in .build/plugins/Swift-DocC/outputs/
set -euo pipefail
cd "$(dirname "$0")/.."
swift package generate-documentation --target DiffDubCore --target DiffDubIO --warnings-as-errors
