#!/usr/bin/env python3
"""`make bench`: serve the demo site with gunicorn and production settings, and print figures.

Steps: a fresh SQLite database in var/bench/, migrate, load_demo, collectstatic, gunicorn (2 workers) on a free
loopback port; then for each page: requests/s and p50/p99 latency under concurrent load (wrk), the median of 30
serial requests, the response size, the SQL queries of one request (measured in-process, see bench/queries.py),
and the resident memory of the gunicorn workers afterwards. It asserts nothing and stops by itself.

Knobs (environment): BENCH_DURATION (seconds of wrk per page, default 10), BENCH_CONNECTIONS (default 8),
BENCH_KEEP_DB=1 (reuse var/bench/bench.sqlite3 instead of starting afresh). REDIS_URL, when set, is passed on.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
DB_FILE = BENCH_DIR / "bench.sqlite3"
LOG_FILE = BENCH_DIR / "gunicorn.log"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
HOST = "127.0.0.1"

DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SERIAL_REQUESTS = 30
WORKERS = 2
PREFERRED_CLASS = "/classes/skeletal-muscle-relaxants/"
SEARCH = "/search/?q=spasticity"
GUIDE = "/medicines/baclofen/"


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def bench_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="apothecary.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),  # throwaway, for this run only
        DEBUG="false",
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECURE_COOKIES="false",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{DB_FILE}",
        APOTHECARY_VAR_DIR=str(BENCH_DIR),
        MEDIA_ROOT=str(BENCH_DIR / "media"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args, timeout=300, check=True) -> subprocess.CompletedProcess:
    started = time.monotonic()
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"[bench] manage.py {' '.join(args)} failed (exit {result.returncode})")
    log(f"manage.py {' '.join(args)}: {time.monotonic() - started:.1f} s")
    return result


def prepare(env) -> None:
    """Database, demo content and static files."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if os.environ.get("BENCH_KEEP_DB") != "1" and DB_FILE.exists():
        DB_FILE.unlink()
    manage(env, "migrate", "--noinput", timeout=600)
    manage(env, "load_demo", "--allow-production", timeout=600)
    manage(env, "collectstatic", "--noinput", timeout=300)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(env, port: int) -> subprocess.Popen:
    command = [
        GUNICORN, "apothecary.wsgi:application",
        "--no-control-socket",
        "--workers", str(WORKERS),
        "--bind", f"{HOST}:{port}",
        "--timeout", "30",
        "--graceful-timeout", "5",
        "--error-logfile", str(LOG_FILE),
        "--log-level", "warning",
    ]  # fmt: skip
    LOG_FILE.unlink(missing_ok=True)
    with open(LOG_FILE.with_suffix(".out"), "w") as output:  # the workers' own stderr (Django's log lines)
        return subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
            start_new_session=True,
        )  # fmt: skip


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()  # SIGTERM to the master only; it stops its workers
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # its own session: the master and its workers only
        server.wait(timeout=5)


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes, float]:
    """One request on a fresh connection (gunicorn's sync workers close each one): status, body, seconds."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": f"{HOST}:{port}"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        connection.close()


def wait_until_up(server: subprocess.Popen, port: int, limit: float = 60) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if server.poll() is not None:
            raise SystemExit(f"[bench] gunicorn exited with {server.returncode}; see {LOG_FILE}")
        try:
            get(port, "/", timeout=5)  # any answer will do
            return time.monotonic() - started
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"[bench] gunicorn did not answer within {limit:.0f} s; see {LOG_FILE}")


def discover_class_page(port: int) -> str:
    status, body, _ = get(port, "/classes/")
    if status != 200:
        return PREFERRED_CLASS
    links = list(dict.fromkeys(re.findall(r'href="(/classes/[a-z0-9-]+/)"', body.decode("utf-8", "replace"))))
    if PREFERRED_CLASS in links or not links:
        return PREFERRED_CLASS
    return links[0]


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> dict:
    figures = {"rps": None, "p50": None, "p99": None, "requests": None, "errors": 0, "non2xx": 0}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        figures["rps"] = float(match.group(1))
    for percent, key in (("50", "p50"), ("99", "p99")):
        if match := re.search(rf"^\s+{percent}%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.MULTILINE):
            figures[key] = _ms(match.group(1))
    if match := re.search(r"(\d+) requests in", output):
        figures["requests"] = int(match.group(1))
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        figures["non2xx"] = int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        figures["errors"] = sum(int(n) for n in match.groups())
    return figures


def run_wrk(port: int, path: str) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "5s", "--latency",
               f"http://{HOST}:{port}{path}"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=DURATION + 30)
    figures = parse_wrk(result.stdout)
    if figures["rps"] is None:
        log(f"wrk gave no figures for {path}: {result.stdout[-500:]} {result.stderr[-500:]}")
    return figures


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        return None
    return None


def query_counts(env, paths: list[str]) -> dict[str, dict]:
    result = subprocess.run([PY, str(BASE_DIR / "bench" / "queries.py"), *paths], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    if result.returncode != 0:
        log(f"query count failed: {result.stderr[-1500:]}")
        return {}
    return json.loads(result.stdout.strip().splitlines()[-1])


def fmt(value, spec: str, empty: str = "-") -> str:
    return empty if value is None else format(value, spec)


def main() -> int:
    if shutil.which("wrk") is None:
        log("wrk is missing: apt-get install wrk (load figures will be empty)")
    env = bench_env()
    log(f"settings: {env['DJANGO_SETTINGS_MODULE']}, DEBUG off, database {DB_FILE.relative_to(BASE_DIR)}, "
        f"cache {'Redis ' + env['REDIS_URL'] if env.get('REDIS_URL') else 'local memory (per worker)'}")  # fmt: skip
    load_before = os.getloadavg()[0]
    prepare(env)

    port = free_port()
    server = start_gunicorn(env, port)
    try:
        log(f"gunicorn (pid {server.pid}, {WORKERS} workers) answering on http://{HOST}:{port}/ "
            f"after {wait_until_up(server, port):.1f} s")  # fmt: skip
        pages = [("home", "/"), ("guide", GUIDE), ("class", discover_class_page(port)), ("search", SEARCH)]
        queries = query_counts(env, [path for _, path in pages])  # before the load, on the code gunicorn serves

        rows = []
        for name, path in pages:
            for _ in range(5):  # warm both workers' caches and imports
                get(port, path)
            timings, statuses, size = [], set(), None
            for _ in range(SERIAL_REQUESTS):
                status, body, seconds = get(port, path)
                timings.append(seconds * 1000)
                statuses.add(status)
                size = len(body)
            load = run_wrk(port, path) if shutil.which("wrk") else parse_wrk("")
            rows.append(dict(name=name, path=path, status="/".join(map(str, sorted(statuses))), size=size,
                             serial=statistics.median(timings), **load))  # fmt: skip
            log(f"{path}: done")

        workers = worker_pids(server.pid)
        memory = {pid: rss_mib(pid) for pid in workers}
        master_rss = rss_mib(server.pid)
    finally:
        stop_gunicorn(server)

    print()
    print(f"Apothecary bench: gunicorn {WORKERS} sync workers, production settings, SQLite, "
          f"wrk -t2 -c{CONNECTIONS} -d{DURATION}s, {os.cpu_count()} CPUs")  # fmt: skip
    header = (f"{'page':<7} {'path':<36} {'status':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'serial ms':>10} {'bytes':>8} {'queries':>8} {'errors':>7}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for row in rows:
        counted = queries.get(row["path"], {})
        errors = row["errors"] + row["non2xx"]
        query_text = fmt(counted.get("queries"), "d") + ("!" if counted.get("status", 200) != 200 else "")
        print(
            f"{row['name']:<7} {row['path']:<36} {row['status']:>6} {fmt(row['rps'], '.1f'):>8} "
            f"{fmt(row['p50'], '.1f'):>8} {fmt(row['p99'], '.1f'):>8} {row['serial']:>10.1f} "
            f"{fmt(row['size'], 'd'):>8} {query_text:>8} {errors:>7}"
        )
    worker_text = ", ".join(f"pid {pid}: {fmt(mib, '.1f')} MiB" for pid, mib in memory.items()) or "not found"
    print(f"RSS after load: workers {worker_text}; master {fmt(master_rss, '.1f')} MiB")
    print(
        "errors = wrk socket errors + non-2xx/3xx responses; queries = SQL queries of one warm request "
        "(in-process, Django test client, same settings and database; ! = that request did not answer 200)"
    )
    print(f"Load average (1 min) before the run: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} "
          f"(other processes on these {os.cpu_count()} CPUs skew the figures)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
