#!/usr/bin/env bash
# Lint the repository's Python: ruff check (pycodestyle errors, pyflakes, import order) and
# ruff format --check, with the settings of ruff.toml. Run from anywhere:
#
#   python3 -m pip install -r TestVectors/requirements.txt    # pins ruff (and cryptography)
#   scripts/lint-python.sh
#
# To apply the fixes: python3 -m ruff check --fix PATHS; python3 -m ruff format PATHS.
set -euo pipefail
cd "$(dirname "$0")/.."

paths=(TestVectors scripts)

if ! python3 -m ruff --version >/dev/null 2>&1; then
    echo "lint-python: ruff is not installed: python3 -m pip install -r TestVectors/requirements.txt" >&2
    exit 1
fi
pinned=$(sed -n 's/^ruff==//p' TestVectors/requirements.txt)
installed=$(python3 -m ruff --version | awk '{print $2}')
if [[ "$installed" != "$pinned" ]]; then
    echo "lint-python: warning: ruff $installed is installed, TestVectors/requirements.txt pins $pinned" >&2
fi

python3 -m ruff check "${paths[@]}"
python3 -m ruff format --check "${paths[@]}"
