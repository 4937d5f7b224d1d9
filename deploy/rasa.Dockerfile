# syntax=docker/dockerfile:1
# The Rasa server of the clinic assistant: model, custom components and the
# production endpoints profile in one image. Build from the repository root:
#
#   docker build -f deploy/rasa.Dockerfile -t clinicbot-rasa:local .
#
# (deploy/rasa.Dockerfile.dockerignore keeps .venv, models/, build/ and var/
# out of the build context.)

# The exact Rasa the project is tested with (requirements.in: rasa[spacy]==3.6.21).
# The -full variant already carries spaCy, and TensorFlow, which Rasa imports
# even though this project's pipeline trains no TensorFlow model.
FROM rasa/rasa:3.6.21-full

# The base image runs as user 1001; installing packages and fixing ownership
# needs root for a moment. We switch back below.
USER root
WORKDIR /app

# Extra packages beyond the base image, at the project's pinned versions.
# constraints.txt is the project's full lock, so pip can't pull anything newer
# than what CI tested (e.g. python-socketio 5.10+, which breaks socket.io replies).
COPY constraints.txt deploy/requirements-rasa.txt /tmp/deps/
RUN pip install --no-cache-dir --disable-pip-version-check \
        -r /tmp/deps/requirements-rasa.txt -c /tmp/deps/constraints.txt \
    && rm -rf /tmp/deps

# Whole packages: the Rasa-side extensions (NLU components, channels, stores,
# NLG, patches) and the Rasa-free core they use; the clinic's details and content.
COPY --chown=1001:0 rasa_ext/ rasa_ext/
COPY --chown=1001:0 clinic/ clinic/
COPY --chown=1001:0 content/ content/
COPY --chown=1001:0 clinic.yml ./
# Training inputs: pipeline/policies, domain and training data.
COPY --chown=1001:0 config.yml domain.yml ./
COPY --chown=1001:0 data/ data/
# Endpoints: the production profile (PostgreSQL, Redis, RabbitMQ; values from
# the environment) is the default; endpoints.yml stays for one-container trials.
COPY --chown=1001:0 endpoints.yml endpoints.production.yml ./
# The always-on channels (guarded REST + socket.io, health), for
# `run --credentials credentials.yml`. The default command writes
# var/credentials.yml from the environment instead.
COPY --chown=1001:0 credentials.yml ./
COPY deploy/rasa-entrypoint.sh /usr/local/bin/clinicbot-rasa-entrypoint

# Writable places for user 1001: models/ (training output), build/ (the spaCy
# pipeline), var/ (credentials written at start-up). The base image sets HOME=/app.
RUN chmod 0755 /usr/local/bin/clinicbot-rasa-entrypoint \
    && mkdir -p models build var \
    && chown 1001:0 /app models build var \
    && chmod g=u /app models build var

USER 1001
# PYTHONPATH: the packages are imported from /app, not installed, so
# clinic/settings.py finds /app/clinic.yml. PYTHONHASHSEED=0 as in the
# Makefile, for a reproducible training run. No telemetry from a clinic's bot.
ENV PYTHONPATH=/app \
    PYTHONHASHSEED=0 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    RASA_TELEMETRY_ENABLED=false \
    MPLCONFIGDIR=/tmp/.matplotlib

# config.yml loads the spaCy pipeline from build/spacy-en-clinic; it is built
# in code (blank English + lookup lemmatizer + EntityRuler), with no download.
# It must exist at run time too, not only for training.
RUN python -m rasa_ext.nlu.spacy_pipeline build/spacy-en-clinic

# Train at build time, so the image is the model: every replica serves the
# same one and nothing is trained or downloaded at start-up. Rasa's training
# cache (.rasa/) is dropped to keep the image small. `python -m rasa_ext` is
# Rasa's command with the project's patches (rasa_ext/__main__.py).
RUN python -m rasa_ext train --quiet --fixed-model-name clinicbot --out models \
    && rm -rf .rasa

EXPOSE 5005

# Rasa answers GET / once the model is loaded (also without the HTTP API).
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5005/', timeout=4)"]

ENTRYPOINT ["clinicbot-rasa-entrypoint"]
# Production endpoints, channels from the environment, HTTP API off (the
# entry point adds it only with RASA_ENABLE_API=true and RASA_JWT_SECRET).
# --cors defaults to the web app's local origin; RASA_CORS_ORIGINS replaces it.
CMD ["run", "--endpoints", "endpoints.production.yml", "--credentials", "var/credentials.yml", "--port", "5005", "--cors", "http://localhost:8080"]
