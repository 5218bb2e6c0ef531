"""nginx for `make bench`: the documented front cache (deploy/nginx/apothecary.conf) in front of the bench's gunicorn,
and a second server serving a saved static copy of pages (the limit of what a web server does on this machine).

Its own prefix, config, cache, logs and pid file under var/bench/nginx; never the system's nginx or its config.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

NGINX = "/usr/sbin/nginx"
PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"
INSTALL_HINT = "apt-get install wrk nginx libnginx-mod-http-cache-purge"
SITE_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx" / "apothecary.conf"


def missing() -> list[str]:
    """What of nginx and its cache-purge module is not installed."""
    return [path for path in (NGINX, PURGE_MODULE) if not Path(path).exists()]


def config(folder: Path, upstream: str, port: int, static: tuple[int, Path] | None = None) -> str:
    """The documented site config with this upstream, port and cache folder, in a minimal nginx.conf; with
    ``static`` (port, folder), beside it a server of the files in that folder."""
    site = SITE_CONF.read_text()
    for old, new in {
        "server 127.0.0.1:8000;": f"server {upstream};",
        "listen 80;": f"listen 127.0.0.1:{port};",
        "/var/cache/nginx/apothecary": str(folder / "cache"),
    }.items():
        if old not in site:
            raise ValueError(f"{SITE_CONF} no longer says {old!r}: update bench/nginx.py's substitutions")
        site = site.replace(old, new)
    if static:
        static_server = f"listen 127.0.0.1:{static[0]}; root {static[1]}; default_type text/html;"
        site += f"\nserver {{ {static_server} sendfile on; tcp_nopush on; }}"  # as Debian's nginx.conf serves files
    temp = " ".join(
        f"{kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root root;" if os.geteuid() == 0 else ""  # workers that can read and write this folder
    return f"""
load_module {PURGE_MODULE};
{user}
worker_processes auto;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    {temp}
    {site}
}}
"""


def start(folder: Path, upstream: str, front_port: int, static_port: int, static_root: Path) -> subprocess.Popen:
    """nginx in the foreground (a child of the bench), listening on both ports."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nginx.conf").write_text(config(folder, upstream, front_port, (static_port, static_root)))
    server = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    for port in (front_port, static_port):
        while True:
            if server.poll() is not None:
                raise SystemExit(f"[bench] nginx did not start: {server.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    stop(server)
                    raise SystemExit(
                        f"[bench] nginx did not listen on {port} within 10 s; see {folder}/error.log"
                    ) from None
                time.sleep(0.05)
    return server


def stop(server: subprocess.Popen | None) -> None:
    """Stops this nginx (its master and workers: its own session), never another."""
    if server is not None and server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
