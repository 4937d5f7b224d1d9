#!/usr/bin/env bash
# Start the action server and the Rasa server (REST + socket.io) on this machine,
# with the embedded SQLite tracker store, and stop both on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=.venv/bin/rasa
RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
WEB_PORT="${WEB_PORT:-8080}"
mkdir -p var
# Calendar links in the chat point at the web app, which serves the files.
export CALENDAR_BASE_URL="${CALENDAR_BASE_URL:-http://localhost:${WEB_PORT}/calendars}"

"$RASA" run actions --actions actions --port "$ACTIONS_PORT" \
  >var/action-server.log 2>&1 &
actions_pid=$!
.venv/bin/python -m web.app --port "$WEB_PORT" --rasa-url "http://localhost:${RASA_PORT}" \
  >var/web.log 2>&1 &
web_pid=$!
trap 'kill "$actions_pid" "$web_pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:${ACTIONS_PORT}/health" >/dev/null 2>&1 && break
  kill -0 "$actions_pid" 2>/dev/null || { echo "Action server failed: see var/action-server.log" >&2; exit 1; }
  sleep 0.5
done

cat <<MSG

  The assistant is starting (about 30 seconds). Talk to it at:
    web page:  http://localhost:${WEB_PORT}/  (the chat widget; health: /health)
    REST:      curl -s -XPOST http://localhost:${RASA_PORT}/webhooks/rest/webhook \\
                 -H 'Content-Type: application/json' -d '{"sender":"me","message":"hi"}'
    socket.io: http://localhost:${RASA_PORT}/socket.io
    terminal:  make shell (instead of make run: it uses the same ports)
  Conversations are kept in var/trackers.db. Stop with Ctrl-C.

MSG
"$RASA" run --port "$RASA_PORT" --endpoints endpoints.yml --credentials credentials.yml \
  --cors "${RASA_CORS_ORIGINS:-http://localhost:${WEB_PORT:-8080}}"
