"""nginx in front of the replicas: REST round-robin, socket.io sticky, a valid configuration."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.deploy.files import (
    DEPLOY,
)
from tests.support.cluster import nginx_binary

NGINX_CONF = DEPLOY / "nginx" / "clinicbot.conf"


def nginx_upstreams() -> dict[str, str]:
    """Each `upstream name { ... }` block's body, by name."""
    text = NGINX_CONF.read_text(encoding="utf-8")
    return dict(re.findall(r"upstream\s+(\w+)\s*\{([^}]*)\}", text))


def nginx_proxy_target(location: str) -> str:
    text = NGINX_CONF.read_text(encoding="utf-8")
    block = re.search(rf"location\s+{re.escape(location)}\s*\{{([^}}]*)\}}", text)
    assert block, f"no location {location}"
    target = re.search(r"proxy_pass\s+http://(\w+);", block.group(1))
    assert target, f"location {location} proxies nowhere"
    return target.group(1)


def test_nginx_balances_rest_round_robin_and_keeps_socketio_sticky() -> None:
    """What tests/production proved for REST; socket.io sessions live in one process."""
    upstreams = nginx_upstreams()
    rest = upstreams[nginx_proxy_target("/webhooks/")]
    socketio = upstreams[nginx_proxy_target("/socket.io/")]
    assert not re.search(r"^\s*(ip_hash|hash|sticky)\b", rest, re.M)
    assert re.search(r"^\s*(ip_hash|hash\s+\S+)", socketio, re.M)


def test_nginx_accepts_the_deploy_configuration(tmp_path: Path) -> None:
    """`nginx -t` on the Compose configuration, with the replica's name pointed at loopback."""
    conf = NGINX_CONF.read_text(encoding="utf-8").replace("rasa:5005", "127.0.0.1:5005")
    (tmp_path / "clinicbot.conf").write_text(conf, encoding="utf-8")
    temp = "".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ {temp} access_log off; include {tmp_path}/clinicbot.conf; }}\n",
        encoding="utf-8",
    )
    paths = ["-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(main)]
    result = subprocess.run(
        [nginx_binary(), "-t", *paths],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
