#!/usr/bin/env python3
"""`make bench`: serve the demo site with gunicorn and production settings, and print figures.

Steps: a fresh database (SQLite in var/bench/, or a PostgreSQL database of its own), migrate, load_demo,
collectstatic; the background worker (`manage.py worker`, for TASKS_BACKEND's queue) beside gunicorn on a free
loopback port; then, for the home page, the baclofen guide, a class page and a search, served four ways:

  cold     gunicorn with PAGE_CACHE=off: every page rendered afresh
  app      gunicorn as served by default: the app's page cache on, no front proxy
  front    the documented nginx front cache (deploy/nginx/apothecary.conf) in front of that same gunicorn
  static   nginx serving a saved static copy of the guide page (what a web server alone does here: the limit)

each page's requests/s and p50/p99 latency under concurrent load (wrk), the median of 30 serial requests, the
response size, the SQL queries of one warm request (in-process, bench/queries.py), and "others": the CPU (in cores)
that processes other than this run's used during the load (other work on the machine skews the figures; a database
or Redis server's work for this run counts there too). Then the ratio front / static for the guide, and the
resident memory (RSS, and PSS: its share of the pages shared with other processes) of gunicorn's master and each
worker and of the background worker after the load. It asserts nothing, stops every process it started (nginx runs
with its own prefix and pid file in var/bench/nginx), and stops at once with what to install when wrk or nginx is
missing.

Knobs (environment):
  BENCH_DB           sqlite (default: var/bench/bench.sqlite3) or postgres: the database apothecary_bench, dropped
                     and made afresh on the PostgreSQL server DATABASE_URL names (its credentials and host; the
                     database named there is never touched; default postgres://postgres@127.0.0.1:5432/)
  REDIS_URL          passed on: the cache, the page cache and sessions in Redis (TASKS_BACKEND=rq: the queue too)
  TASKS_BACKEND      passed on (default db): the queue the background worker runs
  BENCH_WORKERS      gunicorn sync workers (default 4)
  BENCH_DURATION     seconds of wrk per page and way (default 10)
  BENCH_CONNECTIONS  wrk's concurrent connections (default 32)
  BENCH_KEEP_DB=1    reuse the database of the previous run instead of starting afresh
The search's per-address rate limit is off (RATE_LIMIT_SEARCH=0/60): one loopback address plays every visitor.
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
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import nginx  # noqa: E402 (after the project is on the path, for `python bench/run.py`)

BENCH_DIR = BASE_DIR / "var" / "bench"
DB_FILE = BENCH_DIR / "bench.sqlite3"
PG_DATABASE = "apothecary_bench"
LOG_FILE = BENCH_DIR / "gunicorn.log"
STATIC_COPY = BENCH_DIR / "static-copy"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
HOST = "127.0.0.1"

DATABASE = os.environ.get("BENCH_DB", "sqlite").strip().lower()
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SERIAL_REQUESTS = 30
PREFERRED_CLASS = "/classes/skeletal-muscle-relaxants/"
SEARCH = "/search/?q=spasticity"
GUIDE = "/medicines/baclofen/"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def postgres_url(name: str) -> str:
    """DATABASE_URL's server and credentials (or the local default), with the database ``name``."""
    parts = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/")
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"[bench] BENCH_DB=postgres needs DATABASE_URL=postgres://..., not {parts.scheme}://...")
    return parts._replace(path=f"/{name}").geturl()


def bench_env() -> dict[str, str]:
    if DATABASE not in {"sqlite", "postgres"}:
        raise SystemExit(f"[bench] BENCH_DB must be sqlite or postgres, not {DATABASE!r}")
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="apothecary.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),  # throwaway, for this run only
        DEBUG="false",
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECURE_COOKIES="false",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=postgres_url(PG_DATABASE) if DATABASE == "postgres" else f"sqlite:///{DB_FILE}",
        APOTHECARY_VAR_DIR=str(BENCH_DIR),
        MEDIA_ROOT=str(BENCH_DIR / "media"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        RATE_LIMIT_SEARCH="0/60",  # one loopback address plays every visitor: the search's per-address limit is off
    )
    env.pop("FRONT_CACHE_PURGE_URL", None)  # nothing changes during the run: no purge to send anywhere
    return env


def manage(env, *args, timeout=300) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"[bench] manage.py {' '.join(args)} failed (exit {result.returncode})")
    log(f"manage.py {' '.join(args)}: {time.monotonic() - started:.1f} s")


def fresh_postgres_database() -> None:
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {PG_DATABASE}")


def prepare(env) -> None:
    """Database, demo content and static files."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if os.environ.get("BENCH_KEEP_DB") != "1":
        if DATABASE == "postgres":
            fresh_postgres_database()
        else:
            DB_FILE.unlink(missing_ok=True)
        shutil.rmtree(BENCH_DIR / "page-cache", ignore_errors=True)
    manage(env, "migrate", "--noinput", timeout=600)
    manage(env, "load_demo", "--allow-production", timeout=600)
    manage(env, "collectstatic", "--noinput", timeout=300)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start(command: list[str], env, log_name: str) -> subprocess.Popen:
    """A process of this run, in its own session (so that stopping it stops its children, and nothing else)."""
    with open(BENCH_DIR / log_name, "w") as output:
        return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdin=subprocess.DEVNULL, stdout=output,
                                stderr=output, start_new_session=True)  # fmt: skip


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
    return start(command, env, "gunicorn.out")  # the workers' own stderr (Django's log lines)


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()  # SIGTERM to gunicorn's master or the worker; each stops its own children
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: that process and its children only
        process.wait(timeout=5)


def get(port: int, path: str, timeout: float = 10) -> tuple[int, dict[str, str], bytes, float]:
    """One request on a fresh connection (gunicorn's sync workers close each one): status, headers, body, seconds."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": f"{HOST}:{port}"})
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, body, time.perf_counter() - started
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
    status, _, body, _ = get(port, "/classes/")
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


def busy_ticks(proc_stat: str) -> int:
    """CPU time the whole machine spent working (not idle, not waiting for disks), from /proc/stat, in ticks."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(n) for n in proc_stat.split()[1:9])
    return user + nice + system + irq + softirq + steal


def process_ticks(pid_stat: str) -> tuple[int, int]:
    """(parent pid, CPU ticks of the process and of its children it has waited for) from /proc/<pid>/stat."""
    fields = pid_stat[pid_stat.rindex(")") + 2 :].split()  # after the name, which may hold spaces
    return int(fields[1]), sum(int(n) for n in fields[11:15])  # ppid; utime, stime, cutime, cstime


def run_ticks(root: int) -> int:
    """CPU ticks of this run: ``root`` and every live process below it (a finished child's are in its parent's)."""
    processes = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                processes[int(entry.name)] = process_ticks((entry / "stat").read_text())
            except (OSError, ValueError):
                continue  # gone meanwhile
    ours, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (ppid, _) in processes.items() if ppid == parent and pid not in ours]
        ours.update(children)
        frontier.extend(children)
    return sum(processes[pid][1] for pid in ours if pid in processes)


def others_cpu(busy: int, ours: int, seconds: float) -> float:
    """Cores' worth of CPU used by processes other than this run's over ``seconds`` (ticks in, jitter floored)."""
    return max(busy - ours, 0) / CLOCK_TICKS / seconds


def run_wrk(port: int, path: str) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--timeout", "5s", "--latency",
               f"http://{HOST}:{port}{path}"]  # fmt: skip
    busy, ours, started = busy_ticks(Path("/proc/stat").read_text()), run_ticks(os.getpid()), time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=DURATION + 30)
    seconds = time.monotonic() - started
    busy, ours = busy_ticks(Path("/proc/stat").read_text()) - busy, run_ticks(os.getpid()) - ours
    figures = parse_wrk(result.stdout)
    if figures["rps"] is None:
        log(f"wrk gave no figures for {path}: {result.stdout[-500:]} {result.stderr[-500:]}")
    return {**figures, "others": others_cpu(busy, ours, seconds)}


def measure(way: str, name: str, port: int, path: str) -> dict:
    """One page served one way: serial requests, then the load."""
    for _ in range(5):  # warm every worker's imports and caches, and the front cache
        get(port, path)
    timings, statuses, kept, size = [], set(), set(), None
    for _ in range(SERIAL_REQUESTS):
        status, headers, body, seconds = get(port, path)
        timings.append(seconds * 1000)
        statuses.add(status)
        kept.add(headers.get("x-cache", "-"))  # nginx's cache status (front): HIT when it answered alone
        size = len(body)
    row = dict(way=way, name=name, path=path, status="/".join(map(str, sorted(statuses))), cache="/".join(sorted(kept)),
               size=size, serial=statistics.median(timings), **run_wrk(port, path))  # fmt: skip
    log(f"{way} {path}: {fmt(row['rps'], '.0f')} req/s")
    return row


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def memory_mib(pid: int) -> tuple[float, float] | None:
    """(RSS, PSS) of ``pid`` in MiB: its resident memory, and its share of it (each page shared with other processes,
    such as a library's code, divided among them): the workers' PSS add up to what they use together."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]  # after the address range
    except OSError:
        return None
    kib = {name: int(value.split()[0]) for name, value in (line.split(":", 1) for line in rollup)}
    return kib["Rss"] / 1024, kib["Pss"] / 1024


def memory_line(label: str, pids: list[int]) -> str:
    figures = [memory_mib(pid) or (None, None) for pid in pids]
    return f"{label}: " + (", ".join(f"{fmt(rss, '.1f')} ({fmt(pss, '.1f')})" for rss, pss in figures) or "none")


def gunicorn_memory(label: str, master: int) -> str:
    """The master's figures, then its workers': what the master loaded before starting them (gunicorn.conf.py), they
    share with it."""
    return memory_line(f"gunicorn master, then workers, {label}", [master, *worker_pids(master)])


def query_counts(env, paths: list[str]) -> dict[str, dict]:
    result = subprocess.run([PY, str(BASE_DIR / "bench" / "queries.py"), *paths], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    if result.returncode != 0:
        log(f"query count failed: {result.stderr[-1500:]}")
        return {}
    return json.loads(result.stdout.strip().splitlines()[-1])


def fmt(value, spec: str, empty: str = "-") -> str:
    return empty if value is None else format(value, spec)


def save_static_copy(port: int, path: str) -> None:
    """The page as the app serves it to an anonymous visitor, saved where the static server finds it."""
    status, _, body, _ = get(port, path)
    if status != 200:
        raise SystemExit(f"[bench] {path} answered {status}: no static copy to serve")
    target = STATIC_COPY / path.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)


def serve_and_measure(env) -> tuple[list[dict], list[str]]:
    """Every way of serving; the rows, and the memory lines after the load."""
    port = free_port()
    cold_env, rows, memory = {**env, "PAGE_CACHE": "off"}, [], []
    servers: dict[str, subprocess.Popen | None] = dict.fromkeys(("worker", "gunicorn", "nginx"))
    try:
        servers["worker"] = start([PY, "manage.py", "worker"], env, "worker.out")
        servers["gunicorn"] = start_gunicorn(cold_env, port)
        log(f"gunicorn (PAGE_CACHE=off, {WORKERS} workers) on http://{HOST}:{port}/ "
            f"after {wait_until_up(servers['gunicorn'], port):.1f} s")  # fmt: skip
        pages = [("home", "/"), ("guide", GUIDE), ("class", discover_class_page(port)), ("search", SEARCH)]
        queries = {
            "cold": query_counts(cold_env, [p for _, p in pages]),
            "app": query_counts(env, [p for _, p in pages]),
        }
        rows += [measure("cold", name, port, path) for name, path in pages]
        memory.append(gunicorn_memory("PAGE_CACHE=off", servers["gunicorn"].pid))
        stop(servers["gunicorn"])

        servers["gunicorn"] = start_gunicorn(env, port)
        log(f"gunicorn (page cache on) after {wait_until_up(servers['gunicorn'], port):.1f} s")
        rows += [measure("app", name, port, path) for name, path in pages]
        save_static_copy(port, GUIDE)
        front, static = free_port(), free_port()
        servers["nginx"] = nginx.start(BENCH_DIR / "nginx", f"{HOST}:{port}", front, static, STATIC_COPY)
        log(f"nginx: front cache on http://{HOST}:{front}/, the static copy on http://{HOST}:{static}/")
        rows += [measure("front", name, front, path) for name, path in pages]
        rows.append(measure("static", "guide", static, GUIDE))
        memory.append(gunicorn_memory("page cache on", servers["gunicorn"].pid))
        worker = servers["worker"]
        memory.append(memory_line(f"background worker ({env.get('TASKS_BACKEND') or 'db'})",
                                  [worker.pid] if worker.poll() is None else []))  # fmt: skip
    finally:
        nginx.stop(servers["nginx"])
        stop(servers["gunicorn"])
        stop(servers["worker"])
    for row in rows:
        row["queries"] = queries.get(row["way"], {}).get(row["path"])
    return rows, memory


def report(rows: list[dict], memory: list[str], env, load_before: float) -> None:
    print()
    print(f"Apothecary bench: gunicorn {WORKERS} sync workers, production settings, {DATABASE}, cache "
          f"{'Redis' if env.get('REDIS_URL') else 'local (page cache on disk)'}, wrk -t2 -c{CONNECTIONS} "
          f"-d{DURATION}s, {os.cpu_count()} CPUs")  # fmt: skip
    header = (f"{'way':<6} {'page':<6} {'path':<36} {'status':>6} {'nginx':>5} {'req/s':>8} {'p50 ms':>7} "
              f"{'p99 ms':>7} {'serial ms':>9} {'bytes':>7} {'queries':>7} {'errors':>6} {'others':>6}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for row in rows:
        counted = row["queries"] or {}
        query_text = fmt(counted.get("queries"), "d") + ("!" if counted.get("status", 200) != 200 else "")
        print(
            f"{row['way']:<6} {row['name']:<6} {row['path']:<36} {row['status']:>6} {row['cache']:>5} "
            f"{fmt(row['rps'], '.0f'):>8} {fmt(row['p50'], '.2f'):>7} {fmt(row['p99'], '.2f'):>7} "
            f"{row['serial']:>9.2f} {fmt(row['size'], 'd'):>7} {query_text:>7} {row['errors'] + row['non2xx']:>6} "
            f"{row['others']:>6.2f}"
        )
    front, static = (
        next(r["rps"] for r in rows if r["way"] == way and r["name"] == "guide") for way in ("front", "static")
    )
    ratio = fmt(front / static if front and static else None, ".2f")
    print(f"guide through the front cache / its static copy: {ratio} of the static copy's req/s")
    print("Memory after the load, RSS (PSS) in MiB: " + "; ".join(memory))
    print(
        "way: cold = PAGE_CACHE=off; app = the app's page cache (default), no proxy; front = nginx front cache in "
        "front of that gunicorn; static = nginx serving a saved copy. nginx = X-Cache of the serial requests. "
        "errors = wrk socket errors + non-2xx/3xx. queries = SQL queries of one warm request (in-process, same "
        "settings and database; ! = it did not answer 200). others = cores of CPU used by other processes during "
        "the load (a database or Redis server's work for this run included)."
    )
    print(f"Load average (1 min) before the run: {load_before:.2f}, after: {os.getloadavg()[0]:.2f}")


def main() -> int:
    missing = [tool for tool in ("wrk",) if shutil.which(tool) is None] + nginx.missing()
    if missing:
        raise SystemExit(f"[bench] missing: {', '.join(missing)}. Install them: {nginx.INSTALL_HINT}")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stopped from outside: clean up as on Ctrl-C
    env = bench_env()
    log(f"settings: {env['DJANGO_SETTINGS_MODULE']}, DEBUG off, database {DATABASE}, "
        f"cache {'Redis' if env.get('REDIS_URL') else 'local memory and disk'}, "
        f"TASKS_BACKEND {env.get('TASKS_BACKEND') or 'db'}")  # fmt: skip
    load_before = os.getloadavg()[0]
    prepare(env)
    rows, memory = serve_and_measure(env)
    report(rows, memory, env, load_before)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: every process it started has been stopped
        sys.exit("[bench] stopped")
