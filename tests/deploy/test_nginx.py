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


def _nginx_args(tmp_path: Path, conf: str, daemon: bool = True) -> list[str]:
    """nginx's arguments for `conf` (a server block file) under `tmp_path`, no root needed."""
    (tmp_path / "clinicbot.conf").write_text(conf, encoding="utf-8")
    temp = "".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = tmp_path / "nginx.conf"
    main.write_text(
        ("" if daemon else "daemon off; ")
        + f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ {temp} access_log off; include {tmp_path}/clinicbot.conf; }}\n",
        encoding="utf-8",
    )
    return ["-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(main)]


def test_nginx_accepts_the_deploy_configuration(tmp_path: Path) -> None:
    """`nginx -t` on the Compose configuration, with the replica's name pointed at loopback."""
    conf = NGINX_CONF.read_text(encoding="utf-8").replace("rasa:5005", "127.0.0.1:5005")
    paths = _nginx_args(tmp_path, conf)
    result = subprocess.run(
        [nginx_binary(), "-t", *paths],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_public_server_never_passes_the_staff_handoff_route_on(tmp_path: Path) -> None:
    """Live chat: staff messages come from the web app inside; from outside that route is a
    404, while a REST visitor's polling route reaches Rasa."""
    import http.server
    import threading

    import requests

    from tests.support.servers import free_port, spawn, stop, wait_for

    seen: list[str] = []

    class Replica(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    replica = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replica)
    threading.Thread(target=replica.serve_forever, daemon=True).start()
    public, staff = free_port(), free_port()
    conf = NGINX_CONF.read_text(encoding="utf-8")
    conf = conf.replace("rasa:5005", f"127.0.0.1:{replica.server_address[1]}")
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{public};")
    conf = conf.replace("listen 8081;", f"listen 127.0.0.1:{staff};")
    paths = _nginx_args(tmp_path, conf, daemon=False)
    nginx = spawn([nginx_binary(), *paths], tmp_path / "nginx.log", {})
    try:
        base = f"http://127.0.0.1:{public}"
        wait_for(f"{base}/webhooks/rest/", nginx, tmp_path / "nginx.log", timeout=30)
        refused = requests.post(f"{base}/webhooks/handoff/staff/say", json={}, timeout=5)
        assert refused.status_code == 404
        polled = requests.get(f"{base}/webhooks/handoff/messages?after=0", timeout=5)
        assert polled.status_code == 200
        assert "/webhooks/handoff/messages?after=0" in seen
        assert not [path for path in seen if path.startswith("/webhooks/handoff/staff/")]
    finally:
        stop(nginx)
        replica.shutdown()
