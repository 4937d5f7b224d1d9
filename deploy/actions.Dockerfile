# syntax=docker/dockerfile:1
# The clinic assistant's action server (custom actions: fallback "did you
# mean…?" and the schedule planner). Build from the repository root:
#
#   docker build -f deploy/actions.Dockerfile -t clinicbot-actions:local .

# The exact SDK the project is tested with (requirements.in: rasa-sdk==3.6.2).
# Python 3.10 in /opt/venv, runs as user 1001, entry point `./entrypoint.sh start`
# (= python -m rasa_sdk).
FROM rasa/rasa-sdk:3.6.2

# Installing packages needs root for a moment; we switch back below.
USER root
WORKDIR /app

# The planner's libraries, at the project's pinned versions; constraints.txt
# pins their dependencies (regex, tzlocal, pytz, python-dateutil...) to the
# versions CI tested.
COPY constraints.txt deploy/requirements-actions.txt /tmp/deps/
RUN pip install --no-cache-dir --disable-pip-version-check \
        -r /tmp/deps/requirements-actions.txt -c /tmp/deps/constraints.txt \
    && rm -rf /tmp/deps

# The actions package (with its messages.yml and question_titles.yml).
COPY --chown=1001:0 actions/ actions/
# Only the plain settings module of clinicbot: actions/messages.py and the
# planner read the clinic's details through clinicbot.settings. The rest of
# clinicbot imports Rasa, which this image does not have.
COPY --chown=1001:0 clinicbot/__init__.py clinicbot/settings.py clinicbot/
# The clinic's details (opening days for the planner, phone numbers in messages).
COPY --chown=1001:0 clinic.yml ./

# The planner writes .ics files here (actions/calendar_store.py); in Compose a
# volume shared with the web app, which serves them under /calendars/.
RUN mkdir -p var/calendars \
    && chown -R 1001:0 var \
    && chmod -R g=u var

USER 1001
# PYTHONPATH: `actions` and `clinicbot` are imported from /app, not installed,
# so clinicbot/settings.py finds /app/clinic.yml.
ENV PYTHONPATH=/app \
    CALENDAR_DIR=/app/var/calendars

EXPOSE 5055

# rasa_sdk answers GET /health.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5055/health', timeout=4)"]

# The base image's entry point (./entrypoint.sh) runs `python -m rasa_sdk` for `start`.
CMD ["start", "--actions", "actions", "--port", "5055"]
