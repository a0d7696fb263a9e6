#!/usr/bin/env bash
# The end-to-end tests of `diffdub serve` (Tests/Serve/*.py), each against a real server the test
# starts on a free loopback port over a temporary data folder, with the small random-weight
# fixture models:
#
#   crash     SIGKILL mid-render, restart: the job finishes from the frames written
#             (resumed_frames > 0) and equals `diffdub dub` frame for frame
#   readers   50 clients polling the status and reading the event stream during a render
#   page      the page in Debian's chromium (chromium-driver + Selenium): upload, "done", download
#   openapi   schemathesis against /openapi.json: no 5xx, answers as the document says
#
#   bash scripts/test-serve.sh                 all four
#   bash scripts/test-serve.sh crash page      some
#
# Needs the release `diffdub` (built here if absent; DIFFDUB_BIN names another), ffmpeg,
# chromium, chromium-driver and python3-venv (scripts/install-system-packages.sh). Selenium and
# schemathesis come from PyPI into a venv at $DIFFDUB_SERVE_VENV (default
# /tmp/diffdub-serve-venv), made the first time. A missing piece is an error, never a skip.
# DIFFDUB_SERVE_SCREENSHOT=PATH makes the page test save a screenshot there (Docs/serve-page.png).
set -euo pipefail
cd "$(dirname "$0")/.."

SELENIUM_VERSION=4.51.0
SCHEMATHESIS_VERSION=4.32.5
declare -A suites=([crash]=test_crash_recovery [readers]=test_concurrent_readers [page]=test_page_browser [openapi]=test_openapi_schemathesis)
order=(crash readers page openapi)
chosen=("$@")
[ ${#chosen[@]} -gt 0 ] || chosen=("${order[@]}")
for name in "${chosen[@]}"; do
    [ -n "${suites[$name]:-}" ] || { echo "test-serve.sh: unknown suite '$name' (crash, readers, page, openapi)" >&2; exit 2; }
done

missing=()
for tool in ffmpeg ffprobe python3 chromium chromedriver; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "test-serve.sh: not found: ${missing[*]} (run scripts/install-system-packages.sh as root)" >&2
    exit 1
fi

if [ -z "${DIFFDUB_BIN:-}" ]; then
    DIFFDUB_BIN="$(swift build -c release --show-bin-path)/diffdub"
    # After `swift test -c release` (scripts/test.sh) the executable is there already.
    [ -x "$DIFFDUB_BIN" ] || swift build -c release --product diffdub
fi
[ -x "$DIFFDUB_BIN" ] || { echo "test-serve.sh: $DIFFDUB_BIN is not an executable" >&2; exit 1; }
export DIFFDUB_BIN

venv="${DIFFDUB_SERVE_VENV:-/tmp/diffdub-serve-venv}"
wanted="selenium==$SELENIUM_VERSION schemathesis==$SCHEMATHESIS_VERSION"
if [ "$(cat "$venv/.diffdub-requirements" 2>/dev/null)" != "$wanted" ]; then
    echo "test-serve.sh: installing $wanted into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv" || { echo "test-serve.sh: python3 -m venv failed (apt install python3-venv)" >&2; exit 1; }
    # shellcheck disable=SC2086
    "$venv/bin/pip" install --quiet --disable-pip-version-check $wanted
    echo "$wanted" >"$venv/.diffdub-requirements"
fi
export PATH="$venv/bin:$PATH" PYTHONDONTWRITEBYTECODE=1

failed=()
for name in "${chosen[@]}"; do
    start=$SECONDS
    if (cd Tests/Serve && python -m unittest -v "${suites[$name]}"); then
        echo "test-serve.sh: $name passed in $((SECONDS - start)) s"
    else
        echo "test-serve.sh: $name FAILED after $((SECONDS - start)) s"
        failed+=("$name")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "test-serve.sh: failed: ${failed[*]}" >&2
    exit 1
fi
echo "test-serve.sh: all passed (${chosen[*]})"
