# Defaults for the production endpoints profile (endpoints.production.yml) on
# this machine: PostgreSQL, Redis and RabbitMQ on 127.0.0.1, standard ports.
# Source it, then start Rasa with the profile:
#
#   source scripts/production-env.sh
#   .venv/bin/python -m rasa_ext run --endpoints "$RASA_ENDPOINTS" --credentials credentials.yml
#
# Every value is a default only: a variable already set in the environment wins,
# so CI or a clinic's server sets its own (DB_PASSWORD, REDIS_PASSWORD, ...) and
# sources this file for the rest. tests/production sources it too.
# Rasa 3.6 substitutes only unquoted ${VAR} in endpoints files, and fails on one
# that is unset: every variable the profile names is exported here.

export RASA_ENDPOINTS="${RASA_ENDPOINTS:-endpoints.production.yml}"

# Action server (action_endpoint). The header token is checked by the action
# server's middleware; replace it outside this machine.
export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:5055/webhook}"
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-local-development-token}"

# Sanic (Rasa and the action server) closes idle keep-alive connections after
# 5 s; Rasa's HTTP client to the action server keeps them for 15 s and fails
# with "Cannot write to closing transport" when it reuses one the server just
# closed (seen in the scale-out test; rasa-sdk later raised it to 120 s, #1047).
# The server must outlive the client: read by both Sanic apps.
export SANIC_KEEP_ALIVE_TIMEOUT="${SANIC_KEEP_ALIVE_TIMEOUT:-120}"

# PostgreSQL tracker store (trust authentication on this machine).
export DB_HOST="${DB_HOST:-127.0.0.1}"
export DB_PORT="${DB_PORT:-5432}"
export DB_NAME="${DB_NAME:-clinicbot}"
export DB_USER="${DB_USER:-postgres}"
export DB_PASSWORD="${DB_PASSWORD:-}"

# Redis lock store (rasa_ext.stores.lock_store.AtomicRedisLockStore).
export REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
export REDIS_PORT="${REDIS_PORT:-6379}"
export REDIS_DB="${REDIS_DB:-1}"
export REDIS_PASSWORD="${REDIS_PASSWORD:-}"

# socket.io across replicas (python-socketio's Redis client manager): a staff
# message sent through one replica reaches a widget connected to another
# (rasa_ext/channels/guarded.py). Pub/sub, so the database number is not used.
export SOCKETIO_REDIS_URL="${SOCKETIO_REDIS_URL:-redis://${REDIS_PASSWORD:+:${REDIS_PASSWORD}@}${REDIS_HOST}:${REDIS_PORT}/0}"

# Rate limits (clinic/guard/rate_limit.py): every replica counts visitors'
# messages against one budget in Redis, so two replicas don't allow twice
# clinic.yml's input_limits. Unset (make run), each process counts in memory.
export RATE_LIMIT_STORAGE_URL="${RATE_LIMIT_STORAGE_URL:-redis://${REDIS_PASSWORD:+:${REDIS_PASSWORD}@}${REDIS_HOST}:${REDIS_PORT}/${REDIS_DB}}"

# RabbitMQ event broker (Pika).
export RABBITMQ_HOST="${RABBITMQ_HOST:-127.0.0.1}"
export RABBITMQ_USER="${RABBITMQ_USER:-guest}"
export RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-guest}"
export RABBITMQ_EXCHANGE="${RABBITMQ_EXCHANGE:-clinicbot}"
export RABBITMQ_QUEUE="${RABBITMQ_QUEUE:-clinicbot_events}"
