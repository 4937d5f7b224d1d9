"""A private PostgreSQL server for fault tests: its own data directory and port, really stopped.

The shared PostgreSQL on 5432 serves other people; fault tests never touch it.
`initdb` refuses to run as root, so when the tests run as root the server runs
as the `postgres` user, with its data and socket directories owned by it.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from tests.support.servers import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise FileNotFoundError(f"{name} not found under /usr/lib/postgresql/*/bin")
    return found[-1]


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class PrivatePostgres:
    """One PostgreSQL server on a free loopback port (database `test`, trust auth)."""

    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/test"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([_bin("pg_ctl"), "-D", str(self.data), *args]),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-w", "-l", str(self.root / "server.log"), "-o", options, "start")

    def stop(self) -> None:
        """Fast shutdown: open connections are cut, as when a database server restarts."""
        self._ctl("-w", "-m", "fast", "stop")

    def is_up(self) -> bool:
        try:
            self.query("SELECT 1")
            return True
        except sa.exc.OperationalError:
            return False

    def query(self, sql: str, **params: object) -> list[tuple[object, ...]]:
        engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(sa.text(sql), params)]
        finally:
            engine.dispose()


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A fresh server with database `test`; removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="clinic-pg-"))
    os.chmod(root, 0o755)
    server = PrivatePostgres(root=root, port=free_port())
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    subprocess.run(
        _as_postgres(
            [_bin("initdb"), "-D", str(server.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )
    server.start()
    try:
        subprocess.run(
            _as_postgres(
                [
                    _bin("createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(server.port),
                    "-U",
                    "postgres",
                    "test",
                ]
            ),
            check=True,
            timeout=30,
        )
        yield server
    finally:
        with suppress(subprocess.CalledProcessError):
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
