#!/usr/bin/env bash
# Print the secret Rasa and the action server share (X-Action-Token):
# $ACTION_SERVER_TOKEN if set, else the one kept in var/action-server.token,
# made on first use (random, readable only by this user).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${ACTION_SERVER_TOKEN:-}" ]; then
  printf '%s\n' "$ACTION_SERVER_TOKEN"
  exit 0
fi
mkdir -p var
if [ ! -s var/action-server.token ]; then
  (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > var/action-server.token)
fi
cat var/action-server.token
echo
