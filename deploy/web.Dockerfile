# syntax=docker/dockerfile:1
# The clinic's web page with the chat widget, chat sessions, the .ics calendar
# downloads and /health (web/app.py). Build from the repository root:
#
#   docker build -f deploy/web.Dockerfile -t clinicbot-web:local .

# Stage 1: the chat widget bundle from npm, exactly as package-lock.json pins it
# (same command as the Makefile's widget target).
FROM node:20-bookworm-slim AS widget
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

# Stage 2: the app. rasa/rasa-sdk:3.6.2 already has Python 3.10 and the Sanic
# version web/app.py is tested with (21.12), and runs as user 1001.
FROM rasa/rasa-sdk:3.6.2

USER root
WORKDIR /app

# What web/app.py needs beyond the base image, pinned.
COPY constraints.txt deploy/requirements-web.txt /tmp/deps/
RUN pip install --no-cache-dir --disable-pip-version-check \
        -r /tmp/deps/requirements-web.txt -c /tmp/deps/constraints.txt \
    && rm -rf /tmp/deps

# Whole packages: the web app, the staff console, the Rasa-free core they use,
# the clinic's details and the production endpoints (the console's database).
COPY --chown=1001:0 web/ web/
COPY --chown=1001:0 staff/ staff/
COPY --chown=1001:0 clinic/ clinic/
COPY --chown=1001:0 endpoints.production.yml ./
COPY --chown=1001:0 content/ content/
COPY --chown=1001:0 clinic.yml ./
# The bot's training examples: the console's grouping of unanswered questions
# borrows their vocabulary (staff/grouping.py).
COPY --chown=1001:0 data/nlu/ data/nlu/
# Only the widget's files (and their versions), where web/widget.py looks for them.
COPY --from=widget --chown=1001:0 /web/node_modules/deep-chat/package.json web/node_modules/deep-chat/package.json
COPY --from=widget --chown=1001:0 /web/node_modules/deep-chat/dist/deepChat.bundle.js web/node_modules/deep-chat/dist/deepChat.bundle.js
COPY --from=widget --chown=1001:0 /web/node_modules/socket.io-client/package.json web/node_modules/socket.io-client/package.json
COPY --from=widget --chown=1001:0 /web/node_modules/socket.io-client/dist/socket.io.min.js web/node_modules/socket.io-client/dist/socket.io.min.js
# The console's charts (staff/routes/static.py serves it).
COPY --from=widget --chown=1001:0 /web/node_modules/chart.js/dist/chart.umd.min.js web/node_modules/chart.js/dist/chart.umd.min.js

# Calendars written by the action server (a shared volume in Compose).
RUN mkdir -p var/calendars review \
    && chown -R 1001:0 var review \
    && chmod -R g=u var review

USER 1001
ENV PYTHONPATH=/app \
    CALENDAR_DIR=/app/var/calendars \
    WEB_HOST=0.0.0.0 \
    WEB_PORT=8080

EXPOSE 8080

# GET / (not /health: that one also reports Rasa, see deploy/README.md).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/', timeout=4)"]

# RASA_URL (set in Compose) is where the visitor's browser reaches Rasa's
# socket.io; CHAT_SESSION_KEY signs the widget's chat sessions (the same key as Rasa's).
ENTRYPOINT ["python", "-m", "web.app"]
