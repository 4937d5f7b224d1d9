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
  trap 'kill "$ACTION_SERVER_PID" ${EXTRA_PIDS:-} 2>/dev/null || true' EXIT INT TERM
  for _ in $(seq 1 60); do
    curl -fsS "http://127.0.0.1:${port}/health" >/dev/null 2>&1 && return 0
    kill -0 "$ACTION_SERVER_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "Action server failed to start: see $LOG_DIR/action-server.log" >&2
  exit 1
}

# endpoints.yml names the action server's usual port: Rasa gets a copy of an
# endpoints file naming the port in use (rasa_ext/endpoints_file.py). Prints its path.
endpoints_for_port() {
  local source="$1" port="$2" target="var/endpoints-$2.yml"
  .venv/bin/python -m rasa_ext.endpoints_file "$source" "$target" --actions-port "$port"
  echo "$target"
}
