#!/usr/bin/env bash
# `rasa shell` (or `rasa interactive` with the argument "interactive") with the
# action server running beside it, so custom actions work in the terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=.venv/bin/rasa
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
mkdir -p var
"$RASA" run actions --actions actions --port "$ACTIONS_PORT" \
  >var/action-server.log 2>&1 &
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:${ACTIONS_PORT}/health" >/dev/null 2>&1 && break
  kill -0 "$actions_pid" 2>/dev/null || { echo "Action server failed: see var/action-server.log" >&2; exit 1; }
  sleep 0.5
done
if [ "${1:-}" = "interactive" ]; then
  "$RASA" interactive --endpoints endpoints.yml
else
  "$RASA" shell --endpoints endpoints.yml
fi
