# Sourced by run.sh and shell.sh: start the action server in the background
# (log in $LOG_DIR/action-server.log, var/ by default), wait until it answers,
# and stop it on exit.
# It and Rasa share the secret in ACTION_SERVER_TOKEN (a random one kept in
# var/action-server.token when unset); endpoints.yml sends it as X-Action-Token.
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-$(scripts/action-token.sh)}"
LOG_DIR="${LOG_DIR:-var}"

start_action_server() {
  local port="$1"
  mkdir -p var "$LOG_DIR"
  .venv/bin/python -m actions.server --port "$port" >"$LOG_DIR/action-server.log" 2>&1 &
  ACTION_SERVER_PID=$!
  # Stopping also removes the endpoints copy made for this run (endpoints_for_port).
  trap 'kill "$ACTION_SERVER_PID" ${EXTRA_PIDS:-} 2>/dev/null || true; rm -f "${RASA_ENDPOINTS:-}"' \
    EXIT INT TERM
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:${port}/health" >/dev/null 2>&1 && return 0
    kill -0 "$ACTION_SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "Action server failed to start: see $LOG_DIR/action-server.log" >&2
  exit 1
}

# endpoints.yml names the action server's usual port: Rasa gets a copy of an
# endpoints file naming the port in use (rasa_ext/endpoints_file.py), in
# RASA_ENDPOINTS, removed when the scripts stop.
endpoints_for_port() {
  local source="$1" port="$2"
  RASA_ENDPOINTS="var/endpoints-$port.yml"
  .venv/bin/python -m rasa_ext.endpoints_file "$source" "$RASA_ENDPOINTS" --actions-port "$port"
}
