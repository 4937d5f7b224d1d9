# syntax=docker/dockerfile:1
# The clinic's web page with the chat widget, the .ics calendar downloads and
# /health (web/app.py). Optional: only needed if you serve the page from here.
# Build from the repository root:
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

# aiohttp (the /health probe of Rasa) and PyYAML (clinic.yml), pinned.
COPY constraints.txt deploy/requirements-web.txt /tmp/deps/
RUN pip install --no-cache-dir --disable-pip-version-check \
        -r /tmp/deps/requirements-web.txt -c /tmp/deps/constraints.txt \
    && rm -rf /tmp/deps

# The app and its page.
COPY --chown=1001:0 web/__init__.py web/app.py web/
COPY --chown=1001:0 web/static/ web/static/
# web/app.py imports where calendars live and the clinic's details.
COPY --chown=1001:0 actions/__init__.py actions/calendar_store.py actions/
COPY --chown=1001:0 clinicbot/__init__.py clinicbot/settings.py clinicbot/
COPY --chown=1001:0 clinic.yml ./
# Only the built widget, where web/app.py looks for it.
COPY --from=widget --chown=1001:0 /web/node_modules/rasa-webchat/lib/ web/node_modules/rasa-webchat/lib/

# Calendars written by the action server (a shared volume in Compose).
RUN mkdir -p var/calendars \
    && chown -R 1001:0 var \
    && chmod -R g=u var

USER 1001
ENV PYTHONPATH=/app \
    CALENDAR_DIR=/app/var/calendars \
    WEB_HOST=0.0.0.0 \
    WEB_PORT=8080

EXPOSE 8080

# GET / (not /health: that one also reports Rasa, see deploy/README.md).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/', timeout=4)"]

# RASA_URL (set in Compose) is where the visitor's browser reaches Rasa's socket.io.
ENTRYPOINT ["python", "-m", "web.app"]
