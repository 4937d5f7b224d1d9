#!/usr/bin/env bash
# `rasa shell` (or `rasa interactive` with the argument "interactive") with the
# action server running beside it, so custom actions work in the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/action-server.sh
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
start_action_server "$ACTIONS_PORT"
endpoints_for_port endpoints.yml "$ACTIONS_PORT"
if [ "${1:-}" = "interactive" ]; then
  .venv/bin/python -m rasa_ext interactive --endpoints "$RASA_ENDPOINTS"
else
  .venv/bin/python -m rasa_ext shell --endpoints "$RASA_ENDPOINTS"
fi
