# syntax=docker/dockerfile:1
# The clinic assistant's action server (custom actions: "did you mean…?" and the
# planner). Build from the repository root:
#
#   docker build -f deploy/actions.Dockerfile -t clinicbot-actions:local .

# The exact SDK the project is tested with (requirements.in: rasa-sdk==3.6.2).
# Python 3.10 in /opt/venv, runs as user 1001.
FROM rasa/rasa-sdk:3.6.2

# Installing packages needs root for a moment; we switch back below.
USER root
WORKDIR /app

# The planner's libraries, at the project's pinned versions; constraints.txt
# pins their dependencies to the versions CI tested.
COPY constraints.txt deploy/requirements-actions.txt /tmp/deps/
RUN pip install --no-cache-dir --disable-pip-version-check \
        -r /tmp/deps/requirements-actions.txt -c /tmp/deps/constraints.txt \
    && rm -rf /tmp/deps

# Whole packages: the Rasa-free core and the actions (rasa-sdk imports every
# module of `actions`), the clinic's details and its content.
COPY --chown=1001:0 clinic/ clinic/
COPY --chown=1001:0 actions/ actions/
COPY --chown=1001:0 content/ content/
COPY --chown=1001:0 clinic.yml ./

# The planner writes .ics files here (clinic/calendars.py); in Compose a volume
# shared with the web app, which serves them under /calendars/.
RUN mkdir -p var/calendars \
    && chown -R 1001:0 var \
    && chmod -R g=u var

USER 1001
# PYTHONPATH: the packages are imported from /app, not installed, so
# clinic/settings.py finds /app/clinic.yml. The server listens on every
# interface of the container (it binds 127.0.0.1 outside one).
ENV PYTHONPATH=/app \
    CALENDAR_DIR=/app/var/calendars \
    ACTION_SERVER_HOST=0.0.0.0

EXPOSE 5055

HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"]

# The hardened server (actions/server.py): it refuses calls without the
# X-Action-Token header equal to ACTION_SERVER_TOKEN, and refuses to start
# without that variable.
ENTRYPOINT ["python", "-m", "actions.server"]
CMD ["--port", "5055"]
