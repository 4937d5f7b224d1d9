#!/usr/bin/env bash
# Entry point of the Rasa image (deploy/rasa.Dockerfile): prepares what only
# exists at start-up, then hands over to the `rasa` CLI with the given arguments.
#
#  * If the arguments name var/credentials.yml (the image's default command), that
#    file is written from the environment by clinicbot.channels, as `make run`
#    does: REST and socket.io always, plus every messaging channel whose
#    variables are all set (docs/channels.md). If SOCKETIO_JWT_KEY is set, the
#    socket.io channel then requires a JWT signed with it (Rasa's `jwt_key`).
#  * RASA_CORS_ORIGINS (space-separated origins, no wildcards: see
#    docs/security-advisories.md) replaces the image's default --cors.
#  * RASA_ENABLE_API=true opens Rasa's HTTP API, and only with RASA_JWT_SECRET
#    set: it is passed as --jwt-secret so the API never runs unauthenticated.
#
# With other arguments (e.g. the Helm chart's own `run ...` list) nothing is added.
set -euo pipefail

if [[ "${1:-}" == "run" && "${2:-}" != "actions" ]]; then
  for arg in "$@"; do
    if [[ "$arg" == "var/credentials.yml" ]]; then
      mkdir -p var
      python -m clinicbot.channels var/credentials.yml
      if [[ -n "${SOCKETIO_JWT_KEY:-}" ]]; then
        python - <<'PY'
import os
from pathlib import Path

import yaml

path = Path("var/credentials.yml")
credentials = yaml.safe_load(path.read_text(encoding="utf-8"))
socketio = credentials.get("socketio") or {}
socketio.setdefault("jwt_key", os.environ["SOCKETIO_JWT_KEY"])
socketio.setdefault("jwt_method", "HS256")
credentials["socketio"] = socketio
path.write_text(yaml.safe_dump(credentials, sort_keys=False), encoding="utf-8")
PY
      fi
    fi
  done

  if [[ -n "${RASA_CORS_ORIGINS:-}" ]]; then
    # Word-split on purpose (several origins), with globbing off.
    set -f
    # shellcheck disable=SC2086
    set -- "$@" --cors ${RASA_CORS_ORIGINS}
    set +f
  fi

  if [[ "${RASA_ENABLE_API:-false}" == "true" ]]; then
    if [[ -z "${RASA_JWT_SECRET:-}" ]]; then
      echo "RASA_ENABLE_API=true needs RASA_JWT_SECRET: refusing to open the API without auth." >&2
      exit 64
    fi
    set -- "$@" --enable-api --jwt-secret "${RASA_JWT_SECRET}" --jwt-method HS256
  fi
fi

exec rasa "$@"
