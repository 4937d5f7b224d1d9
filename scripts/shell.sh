#!/usr/bin/env bash
# `rasa shell` (or `rasa interactive` with the argument "interactive") with the
# action server running beside it, so custom actions work in the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/action-server.sh
start_action_server "${ACTIONS_PORT:-5055}"
if [ "${1:-}" = "interactive" ]; then
  .venv/bin/python -m rasa_ext interactive --endpoints endpoints.yml
else
  .venv/bin/python -m rasa_ext shell --endpoints endpoints.yml
fi
