#!/usr/bin/env bash
# Installs the Debian packages DiffDub builds and runs with (needs root or sudo), and those of
# the end-to-end tests of `diffdub serve` (scripts/test-serve.sh): chromium and chromium-driver
# for the page's browser test, python3-venv for the venv of Selenium and schemathesis.
set -euo pipefail
packages=(libopenblas-dev libsndfile1-dev libpng-dev ffmpeg pkg-config chromium chromium-driver python3-venv)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "system packages: all present (${packages[*]})"
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}"
