"""The production profile on loopback: PostgreSQL database, action server, Rasa replicas, nginx."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aio_pika
import psycopg2

from tests.support.servers import (
    RASA,
    ROOT,
    free_port,
    spawn,
    start_action_server,
    stop,
    wait_for,
)

PRODUCTION_ENDPOINTS = ROOT / "endpoints.production.yml"
PRODUCTION_ENV_SCRIPT = ROOT / "scripts" / "production-env.sh"


def production_env(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The environment after `source scripts/production-env.sh`, with `overrides` set first."""
    base = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONHASHSEED": "0", **(overrides or {})}
    result = subprocess.run(
        ["bash", "-c", f"source {PRODUCTION_ENV_SCRIPT} && env -0"],
        env=base,
        capture_output=True,
        check=True,
    )
    pairs = (item.split(b"=", 1) for item in result.stdout.split(b"\0") if b"=" in item)
    return {key.decode(): value.decode() for key, value in pairs}


def pg_connect(env: dict[str, str], database: str) -> psycopg2.extensions.connection:
    return psycopg2.connect(
        host=env["DB_HOST"],
        port=env["DB_PORT"],
        user=env["DB_USER"],
        password=env["DB_PASSWORD"] or None,
        dbname=database,
    )


@contextmanager
def fresh_database(env: dict[str, str]) -> Iterator[str]:
    """A new PostgreSQL database for one run, dropped afterwards."""
    name = f"clinicbot_scale_{uuid.uuid4().hex[:12]}"
    with closing(pg_connect(env, "postgres")) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with closing(pg_connect(env, "postgres")) as admin:
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _broker_queue(env: dict[str, str], delete: bool) -> int:
    """Messages waiting in the run's queue; with `delete`, drop the queue and the exchange."""
    connection = await aio_pika.connect(
        host=env["RABBITMQ_HOST"], login=env["RABBITMQ_USER"], password=env["RABBITMQ_PASSWORD"]
    )
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(env["RABBITMQ_QUEUE"], durable=True)
        count = int(queue.declaration_result.message_count or 0)
        if delete:
            await queue.delete(if_unused=False, if_empty=False)
            await channel.exchange_delete(env["RABBITMQ_EXCHANGE"])
    return count


def broker_events(env: dict[str, str]) -> int:
    return asyncio.run(_broker_queue(env, delete=False))


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise RuntimeError("nginx is not installed: run `make nginx-setup`")
    return found


NGINX_CONF = """\
# Written by tests/support/cluster.py: round-robin over the Rasa replicas (no
# affinity), as deploy/nginx/clinicbot.conf does for /webhooks/.
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {workdir}/nginx-tmp/body;
    proxy_temp_path {workdir}/nginx-tmp/proxy;
    fastcgi_temp_path {workdir}/nginx-tmp/fastcgi;
    uwsgi_temp_path {workdir}/nginx-tmp/uwsgi;
    scgi_temp_path {workdir}/nginx-tmp/scgi;
    log_format replica '$http_x_conversation $http_x_message $upstream_addr $status $request_time';
    access_log {workdir}/nginx-access.log replica;
    log_format socketio '$upstream_addr $status';
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    upstream rasa_rest {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 1m;
        location /webhooks/ {{
            proxy_pass http://rasa_rest;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_read_timeout 120s;
        }}
        # The widget's socket.io, websocket only (no long-polling, so no need for
        # deploy/nginx's stickiness): each new socket goes to the next replica.
        location /socket.io/ {{
            proxy_pass http://rasa_rest;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 120s;
            access_log {workdir}/nginx-socketio.log socketio;
        }}
    }}
}}
"""


def start_nginx(workdir: Path, port: int, upstream_ports: list[int]) -> subprocess.Popen[bytes]:
    (workdir / "nginx-tmp").mkdir(exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in upstream_ports)
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(workdir=workdir, port=port, servers=servers))
    log = workdir / "nginx.log"
    args = [nginx_binary(), "-p", str(workdir), "-e", str(workdir / "nginx-error.log")]
    process = spawn([*args, "-c", str(conf)], log, dict(os.environ))
    wait_for(f"http://127.0.0.1:{port}/webhooks/rest/", process, log, timeout=60)
    return process


@dataclass
class Cluster:
    """Everything the scale-out test talks to or reads afterwards."""

    workdir: Path
    env: dict[str, str]
    database: str
    nginx_port: int
    replica_ports: list[int]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def replica_logs(self) -> dict[int, str]:
        return {
            port: (self.workdir / f"rasa-{port}.log").read_text(errors="replace")
            for port in self.replica_ports
        }

    def action_server_log(self) -> str:
        return (self.workdir / "actions.log").read_text(errors="replace")

    def stored_event_count(self) -> int:
        with closing(pg_connect(self.env, self.database)) as connection:
            cursor = connection.cursor()
            cursor.execute("SELECT count(*) FROM events")
            return int(cursor.fetchone()[0])

    def broker_events(self) -> int:
        return broker_events(self.env)

    def access_log(self) -> list[list[str]]:
        lines = (self.workdir / "nginx-access.log").read_text().splitlines()
        return [line.split() for line in lines if line.strip()]


def start_replicas(
    workdir: Path, ports: list[int], env: dict[str, str]
) -> list[subprocess.Popen[bytes]]:
    """Start `rasa run` with the production profile on each port, all at once."""
    processes = []
    for port in ports:
        args = [*RASA, "run", "--port", str(port), "--endpoints", str(PRODUCTION_ENDPOINTS)]
        args += ["--credentials", str(ROOT / "credentials.yml")]
        processes.append(spawn(args, workdir / f"rasa-{port}.log", env))
    for port, process in zip(ports, processes, strict=True):
        url = f"http://127.0.0.1:{port}/webhooks/rest/"
        wait_for(url, process, workdir / f"rasa-{port}.log", timeout=300)
    return processes


@contextmanager
def production_cluster(
    workdir: Path, replicas: int = 2, overrides: dict[str, str] | None = None
) -> Iterator[Cluster]:
    """The production profile on this machine: a fresh database, N replicas, nginx in front.

    `overrides` are set before the profile's defaults (scripts/production-env.sh).
    """
    actions_port = free_port()
    run_id = uuid.uuid4().hex[:12]
    env = production_env(
        {
            "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
            "RABBITMQ_EXCHANGE": f"clinicbot_scale_{run_id}",
            "RABBITMQ_QUEUE": f"clinicbot_scale_{run_id}",
            # This test is about order under load, not the "can't plan right now"
            # reply (tests/faults): on 2 shared cores a queued action call can take
            # longer than the 10 s production default.
            "ACTION_SERVER_TIMEOUT": "60",
            **(overrides or {}),
        }
    )
    with fresh_database(env) as database:
        env["DB_NAME"] = database
        cluster = Cluster(
            workdir=workdir,
            env=env,
            database=database,
            nginx_port=free_port(),
            replica_ports=[free_port() for _ in range(replicas)],
        )
        try:
            cluster.processes["actions"] = start_action_server(workdir, actions_port, env)
            started = start_replicas(workdir, cluster.replica_ports, env)
            for port, process in zip(cluster.replica_ports, started, strict=True):
                cluster.processes[f"rasa-{port}"] = process
            cluster.processes["nginx"] = start_nginx(
                workdir, cluster.nginx_port, cluster.replica_ports
            )
            yield cluster
        finally:
            for process in reversed(cluster.processes.values()):
                stop(process)
            asyncio.run(_broker_queue(env, delete=True))
