#!/usr/bin/env bash
# Set up and run the whole test suite on a fresh Debian machine (the README's second command).
# Installs Debian's chromium for the browser tests when it is missing, makes .venv, installs the
# project with its dev extra, then runs ruff and pytest. Fails on any failure and on zero tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: chromium for the browser tests, qgis-common for the Natural Earth
# admin-1 GeoPackage that data/make_extracts.py derives the curated outlines from.
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/qgis/resources/data/world_map.gpkg ] || need+=(qgis-common)
if [ ${#need[@]} -gt 0 ]; then
    echo "==> installing Debian packages: ${need[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv"
    "$PY" -m venv .venv
fi
echo "==> installing itinera[dev]"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'

echo "==> ruff"
.venv/bin/ruff check .

echo "==> pytest"
# Tests marked needs_shared read ../shared (seed texts, WHG standards, corpora), which a clone does not
# have: they skip with one reason when it is absent. Under CI=true (.ci/run), where ../shared exists, a
# skipped needs_shared test fails the run (tests/conftest.py), so CI never passes with checks left out.
if [ -d ../shared ] || [ -n "${ITINERA_SEEDS:-}" ]; then
    echo "    ../shared found: the tests marked needs_shared run too"
else
    echo "    no ../shared beside this clone: the tests marked needs_shared are skipped"
fi
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
    exit 1
fi
exit "$rc"
