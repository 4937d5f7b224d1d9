#!/usr/bin/env bash
# Resolve requirements*.in in a scratch venv and write every version to constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$(scripts/find-python.sh)" -m venv "$scratch"
"$scratch/bin/pip" install --quiet --disable-pip-version-check -r requirements.in -r requirements-dev.in
{
  echo "# Every package version, resolved by scripts/lock.sh from requirements*.in."
  "$scratch/bin/pip" freeze --all --exclude-editable | grep -v '^pip=='
} > constraints.txt
echo "constraints.txt updated ($(grep -vc '^#' constraints.txt) packages)"
