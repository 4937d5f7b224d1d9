#!/usr/bin/env bash
# Start the action server, the web app and the Rasa server (REST + socket.io),
# with the embedded SQLite tracker store, and stop them all on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=(.venv/bin/python -m rasa_ext)  # Rasa with the project's patches (rasa_ext/__main__.py)
RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
WEB_PORT="${WEB_PORT:-8080}"
# Another endpoints file (a test's, with its own tracker store and action port).
export ENDPOINTS="${ENDPOINTS:-endpoints.yml}"
mkdir -p var
# Calendar links in the chat point at the web app, which serves the files.
export CALENDAR_BASE_URL="${CALENDAR_BASE_URL:-http://localhost:${WEB_PORT}/calendars}"
# The action server asks the web app whether staff can take a live chat.
export STAFF_CONSOLE_URL="${STAFF_CONSOLE_URL:-http://127.0.0.1:${WEB_PORT}}"

# REST and socket.io always; messaging channels whose variables are set
# (docs/channels.md).
.venv/bin/python -m rasa_ext.channels.credentials var/credentials.yml
# The key that signs the widget's chat sessions (web app) and checks them
# (Rasa's socket.io channel): CHAT_SESSION_KEY, or a private file made once.
if [ -z "${CHAT_SESSION_KEY:-}" ]; then
  .venv/bin/python -m clinic.guard.session_tokens "${CHAT_SESSION_KEY_FILE:-var/chat-session.key}"
fi
source scripts/action-server.sh
mkdir -p "$LOG_DIR"
.venv/bin/python -m web.app --port "$WEB_PORT" --rasa-url "http://localhost:${RASA_PORT}" \
  >"$LOG_DIR/web.log" 2>&1 &
EXTRA_PIDS=$!
start_action_server "$ACTIONS_PORT"
endpoints_for_port "$ENDPOINTS" "$ACTIONS_PORT"

# Say where to talk to the bot once Rasa answers, after its start-up lines, so
# the addresses are the last thing on the screen.
announce_when_up() {
  for _ in $(seq 1 600); do
    if curl -fsS "http://127.0.0.1:${RASA_PORT}/webhooks/rest/" >/dev/null 2>&1; then
      cat <<MSG

  The clinic's assistant is ready. Talk to it at:
    web page:  http://localhost:${WEB_PORT}/  (the chat widget; health: /health)
    console:   http://localhost:${WEB_PORT}/staff/  (staff; make staff-user NAME=... first)
    REST:      curl -s -XPOST http://localhost:${RASA_PORT}/webhooks/rest/webhook \\
                 -H 'Content-Type: application/json' -d '{"sender":"me","message":"hi"}'
    socket.io: http://localhost:${RASA_PORT}/socket.io
    terminal:  make shell (instead of make run: it uses the same ports)
  Conversations are kept in var/trackers.db; the web app and the action server
  log to ${LOG_DIR}/. Stop with Ctrl-C.

MSG
      return 0
    fi
    sleep 0.5
  done
}

echo "Starting the clinic's assistant (about 30 seconds)..."
announce_when_up &
EXTRA_PIDS="$EXTRA_PIDS $!"
"${RASA[@]}" run --port "$RASA_PORT" --endpoints "$RASA_ENDPOINTS" --credentials var/credentials.yml \
  --cors "${RASA_CORS_ORIGINS:-http://localhost:${WEB_PORT:-8080}}"
