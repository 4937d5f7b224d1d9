#!/usr/bin/env bash
# Start the action server and the Rasa server (REST + socket.io) on this machine,
# with the embedded SQLite tracker store, and stop both on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=.venv/bin/rasa
RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
mkdir -p var

"$RASA" run actions --actions actions --port "$ACTIONS_PORT" --auto-reload false \
  >var/action-server.log 2>&1 &
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:${ACTIONS_PORT}/health" >/dev/null 2>&1 && break
  kill -0 "$actions_pid" 2>/dev/null || { echo "Action server failed: see var/action-server.log" >&2; exit 1; }
  sleep 0.5
done

cat <<MSG

  The assistant is starting (about 15 seconds). Talk to it at:
    REST:      curl -s -XPOST http://localhost:${RASA_PORT}/webhooks/rest/webhook \\
                 -H 'Content-Type: application/json' -d '{"sender":"me","message":"hi"}'
    socket.io: http://localhost:${RASA_PORT}/socket.io
    terminal:  make shell
  Conversations are kept in var/trackers.db. Stop with Ctrl-C.

MSG
"$RASA" run --port "$RASA_PORT" --endpoints endpoints.yml --credentials credentials.yml \
  --cors "${RASA_CORS_ORIGINS:-http://localhost:${WEB_PORT:-8080}}"
