#!/usr/bin/env bash
# Entry point of the Rasa image (deploy/rasa.Dockerfile): prepares what only
# exists at start-up, then hands over to the project's `rasa` command
# (`python -m rasa_ext`: Rasa with the project's patches) with the given arguments.
#
#  * If the arguments name var/credentials.yml (the image's default command), that
#    file is written from the environment by rasa_ext.channels.credentials, as
#    `make run` does: the guarded REST and socket.io channels and the health
#    route always, plus every messaging channel whose variables are all set
#    (docs/channels.md).
#  * `run` needs CHAT_SESSION_KEY: the guarded socket.io channel checks the
#    widget's session tokens with it, and every replica and the web app must
#    share one key (a key made inside one container would differ from the others).
#  * RASA_CORS_ORIGINS (space-separated origins, no wildcards: see
#    docs/security.md) replaces the image's default --cors.
#  * RASA_ENABLE_API=true opens Rasa's HTTP API, and only with RASA_JWT_SECRET
#    set: it is passed as --jwt-secret so the API never runs unauthenticated.
#
# With other arguments (e.g. the Helm chart's own `run ...` list) only the
# CHAT_SESSION_KEY check applies and nothing is added.
set -euo pipefail

if [[ "${1:-}" == "run" && "${2:-}" != "actions" ]]; then
  if [[ -z "${CHAT_SESSION_KEY:-}" ]]; then
    echo "Set CHAT_SESSION_KEY (at least 32 characters, the same for every replica and the web app)." >&2
    exit 64
  fi
  for arg in "$@"; do
    if [[ "$arg" == "var/credentials.yml" ]]; then
      mkdir -p var
      python -m rasa_ext.channels.credentials var/credentials.yml
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

exec python -m rasa_ext "$@"
