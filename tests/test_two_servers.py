"""Two app servers behind nginx, as a pharmacy with more than one machine runs: one PostgreSQL (the test database),
one Redis (a database of its own), one S3 endpoint (moto's S3 server over HTTP), one background worker (RQ), all
real processes. The servers run the production settings (tests/two_servers_settings.py: static files from the apps)
and know each other only through those shared services.

- A patient uploads a prescription through server A; the pharmacist opens it through server B: the same bytes.
- A guide's new revision published through A's admin (Wagtail's bulk publish) is served by B on the next request,
  and by both servers through nginx.
- A reference saved through A's admin answers before it is checked (Crossref is a local stub that takes 2 s to
  answer); the worker checks it, and the verdict reaches the database within a deadline.

The people log in with session cookies made here (the servers share this test run's SECRET_KEY and database), and
the draft revision is written here with the ORM, as an editor's save would; every step the servers take is HTTP.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from conftest import NGINX, redis_test_url
from evidence.models import Reference, VerificationStatus
from evidence.tests.records import CHOU_DOI, CHOU_TITLE, crossref_work
from home.demo.orders import demo_prescription_pdf
from tests import fake_sources, s3_server
from tests.factories import make_order, make_product

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.nginx, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
REDIS_DB = 14  # the servers' own Redis database (the tests' is 15): emptied before and after
CROSSREF_DELAY = 2.0  # seconds the stub Crossref takes: the save must answer sooner, the worker waits it out
START_DEADLINE = 30.0


@dataclass
class Cluster:
    a: str  # http://127.0.0.1:PORT of each app server
    b: str
    front: str  # nginx
    s3: s3_server.S3Endpoint
    crossref: fake_sources.FakeSources
    logs: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def tails(self) -> str:
        """The end of every process's log, for a failure's message."""
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            parts.append(f"--- {path.name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-25:]))
        return "\n".join(parts)


def free_port() -> int:
    return s3_server.free_port()


def database_url() -> str:
    """The test database (not the one DATABASE_URL names), for the servers and the worker."""
    params = connection.settings_dict
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    return f"postgres://{credentials}{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{params['NAME']}"


def servers_redis_url() -> str:
    return urlsplit(redis_test_url())._replace(path=f"/{REDIS_DB}").geturl()


def worker_finished(task: str, *args, timeout: int = 20) -> bool:
    """Wait for the worker to finish the one job of ``task`` with ``args`` that the servers queued: RQ writes each
    job's result to a Redis stream, read here with a blocking read (no polling)."""
    import redis
    from rq import Queue
    from rq.job import Job

    client = redis.Redis.from_url(servers_redis_url(), socket_connect_timeout=5)
    try:
        queue = Queue("default", connection=client)
        registries = (queue.started_job_registry, queue.finished_job_registry, queue.failed_job_registry)
        ids = dict.fromkeys([*queue.get_job_ids(), *(i for registry in registries for i in registry.get_job_ids())])
        jobs = [job for job in Job.fetch_many(list(ids), connection=client) if job is not None]
        [job] = [job for job in jobs if job.func_name == task and list(job.args) == list(args)]
        return job.latest_result(timeout=timeout) is not None
    finally:
        client.close()


def empty_servers_redis() -> None:
    import redis

    client = redis.Redis.from_url(servers_redis_url(), socket_connect_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


def server_environ(tmp: Path, name: str, s3: s3_server.S3Endpoint, crossref_url: str, front: str) -> dict:
    """What the README's "Several app servers" asks of every server and worker: the same database, Redis, S3
    buckets and queue; a var folder of its own (nothing is shared through a local disk)."""
    dropped = ("DJANGO_", "DEBUG", "PYTEST_", "S3_", "AWS_", "APOTHECARY_", "REDIS_URL", "TEST_REDIS_URL")
    env = {key: value for key, value in os.environ.items() if not key.startswith(dropped)}
    env.pop("DATABASE_URL", None)
    env.pop("TASKS_BACKEND", None)
    (tmp / name).mkdir()
    env.update(
        DJANGO_SETTINGS_MODULE="tests.two_servers_settings",
        SECRET_KEY=django_settings.SECRET_KEY,  # the session cookies made by this test are signed with it
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=front,
        DATABASE_URL=database_url(),
        CONN_MAX_AGE="0",
        REDIS_URL=servers_redis_url(),
        TASKS_BACKEND="rq",
        APOTHECARY_VAR_DIR=str(tmp / name),
        CROSSREF_API_URL=f"{crossref_url}/crossref",
        PUBMED_EUTILS_URL=f"{crossref_url}/pubmed",
        VERIFICATION_TIMEOUT="10",
        VERIFICATION_RETRIES="0",
        VERIFY_REFERENCES_ON_SAVE="true",
        TRUSTED_PROXY_COUNT="1",
        # Plain HTTP on loopback: no TLS to redirect to, and no authenticator app in a test.
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        STAFF_TWO_FACTOR_REQUIRED="false",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        **s3.environ(),
    )
    return env


NGINX_CONF = """
{user}
worker_processes 1;
daemon on;
pid {tmp}/nginx.pid;
error_log {tmp}/logs/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/logs/nginx-access.log;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    client_max_body_size 25m;
    upstream apothecary {{
        server 127.0.0.1:{port_a};
        server 127.0.0.1:{port_b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://apothecary;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def start(cluster: Cluster, name: str, command: list[str], env: dict, listening: socket.socket | None = None) -> None:
    log = (cluster.logs / f"{name}.log").open("wb")
    cluster.processes[name] = subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        pass_fds=(listening.fileno(),) if listening else (),
    )


def listening_socket() -> socket.socket:
    """A loopback socket already listening, handed to a server (gunicorn ``--bind fd://N``): the system queues the
    connections made to it until the server accepts them, so a first request simply waits for the server to start."""
    listening = socket.create_server(("127.0.0.1", 0), backlog=64)
    listening.set_inheritable(True)
    return listening


def first_answer(cluster: Cluster, url: str, name: str) -> None:
    """The server's first answer, however long it takes to start (within START_DEADLINE)."""
    try:
        requests.get(f"{url}/robots.txt", timeout=START_DEADLINE).raise_for_status()
    except requests.RequestException as exc:
        raise AssertionError(f"{name} did not answer at {url}: {exc}\n{cluster.tails()}") from exc


def stop(processes) -> None:
    """SIGTERM to every process at once (each finishes what it is doing), then wait for them; killed after 10 s."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        process.terminate()
    for process in running:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def cluster(transactional_db, tmp_path, settings):
    """Moto's S3, a slow stub Crossref, app servers A and B (gunicorn), an RQ worker and nginx, all started here."""
    crossref, stop_crossref = fake_sources.start(settings)
    s3, stop_s3 = s3_server.start("apothecary-two-servers")
    empty_servers_redis()
    (tmp_path / "logs").mkdir()
    sockets = {"server-a": listening_socket(), "server-b": listening_socket()}
    port_a, port_b = (sockets[name].getsockname()[1] for name in ("server-a", "server-b"))
    port_front = free_port()
    front = f"http://127.0.0.1:{port_front}"
    made = Cluster(f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}", front, s3, crossref, tmp_path / "logs")
    try:
        for name, listening in sockets.items():
            env = server_environ(tmp_path, name, s3, crossref.base_url, front)
            gunicorn = [GUNICORN, "apothecary.wsgi", "--bind", f"fd://{listening.fileno()}", "--workers", "1"]
            start(made, name, [*gunicorn, "--threads", "4", "--no-control-socket"], env, listening)
        worker_env = server_environ(tmp_path, "worker", s3, crossref.base_url, front)
        start(made, "worker", [PYTHON, "manage.py", "worker"], worker_env)  # answers no HTTP: its work is checked
        (tmp_path / "nginx.conf").write_text(
            NGINX_CONF.format(
                user="user root;" if os.geteuid() == 0 else "",  # its workers may use this test's folder
                tmp=tmp_path,
                port_a=port_a,
                port_b=port_b,
                port=port_front,
            )
        )
        # As a daemon, nginx returns once it listens (it binds its port before it detaches).
        start(made, "nginx", [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], {})
        assert made.processes["nginx"].wait(timeout=START_DEADLINE) == 0, made.tails()
        first_answer(made, made.a, "server-a")
        first_answer(made, made.b, "server-b")
        first_answer(made, made.front, "nginx")
        yield made
    finally:
        nginx_pid = tmp_path / "nginx.pid"
        if nginx_pid.exists():  # stopped by the pid it wrote
            os.kill(int(nginx_pid.read_text()), signal.SIGQUIT)
        stop(made.processes.values())
        for listening in sockets.values():
            listening.close()
        stop_s3()
        stop_crossref()
        empty_servers_redis()


def logged_in(user) -> requests.Session:
    """An HTTP session carrying ``user``'s session cookie (made here; read by the servers from the database)."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    return session


def csrf_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, (url, page.status_code)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def test_a_patient_uploads_on_a_the_pharmacist_reads_on_b_a_guide_published_on_a_is_new_on_b_the_worker_checks(
    cluster, medicine, patient, pharmacist, superuser
):
    from prescriptions.models import Prescription

    started = time.monotonic()
    # -- A prescription uploaded through A, opened through B -----------------------------------------------------
    pack = make_product(medicine, packs=((30, "15.30", 10),)).packs.get()
    order = make_order([(pack, 1)], customer=patient, email=patient.email)
    pdf = demo_prescription_pdf()
    as_patient = logged_in(patient)
    order_page = f"{cluster.a}/orders/{order.number}/"
    upload = as_patient.post(
        f"{order_page}prescription/",
        data={"csrfmiddlewaretoken": csrf_token(as_patient, order_page), "prescriber_name": ""},
        files={"file": ("scan.pdf", pdf, "application/pdf")},
        allow_redirects=False,
        timeout=20,
    )
    assert upload.status_code == 303, f"{upload.status_code}\n{upload.text[:2000]}\n{cluster.tails()}"
    prescription = Prescription.objects.get(patient=patient)
    kept = prescription.file.name or prescription.files.get().file.name
    assert cluster.s3.keys(cluster.s3.private_bucket) == [kept]  # in the shared bucket, not on A's disk
    path = (
        f"/prescriptions/{prescription.pk}/file/"
        if prescription.file
        else f"/prescriptions/{prescription.pk}/files/{prescription.files.get().pk}/"
    )
    opened = logged_in(pharmacist).get(f"{cluster.b}{path}", timeout=20)
    assert opened.status_code == 200, cluster.tails()
    assert opened.content == pdf
    assert as_patient.get(f"{cluster.b}{path}", timeout=20).content == pdf  # and the patient, on either server

    # -- A guide's new revision published through A's admin, served by B at once -------------------------------
    guide = f"{cluster.b}{medicine.url}"
    assert "Baclofen is a medicine." in requests.get(guide, timeout=20).text
    draft = medicine.specific
    draft.summary = "Baclofen relaxes muscles; revised on server A."
    draft.save_revision(user=superuser)  # the editor's saved draft
    as_admin = logged_in(superuser)
    publish = f"{cluster.a}/admin/bulk/wagtailcore/page/publish/?id={medicine.pk}"
    published = as_admin.post(
        publish, data={"csrfmiddlewaretoken": csrf_token(as_admin, publish)}, allow_redirects=False, timeout=20
    )
    assert published.status_code == 302, f"{published.status_code}\n{published.text[:2000]}"
    assert "revised on server A" in requests.get(guide, timeout=20).text
    upstreams = set()
    for _ in range(4):  # nginx sends one request to each server in turn
        through_front = requests.get(f"{cluster.front}{medicine.url}", timeout=20)
        assert through_front.status_code == 200 and "revised on server A" in through_front.text
        upstreams.add(through_front.headers["X-Upstream"])
    assert upstreams == {urlsplit(cluster.a).netloc, urlsplit(cluster.b).netloc}

    # -- A reference saved through A: answered at once, checked by the worker ------------------------------------
    cluster.crossref.crossref(CHOU_DOI, fake_sources.Reply(body=crossref_work(), delay=CROSSREF_DELAY))
    add = f"{cluster.a}/admin/snippets/evidence/reference/add/"
    fields = {
        "kind": "article",
        "authors": "Chou R, Peterson K, Helfand M",
        "title": CHOU_TITLE,
        "container": "J Pain Symptom Manage",
        "year": "2004",
        "volume": "28(2)",
        "pages": "140-75",
        "doi": CHOU_DOI,
        "pmid": "",
        "url": "",
        "accessed": "",
    }
    token = csrf_token(as_admin, add)
    began = time.monotonic()
    saved = as_admin.post(add, data={**fields, "csrfmiddlewaretoken": token}, allow_redirects=False, timeout=20)
    answered_in = time.monotonic() - began
    assert saved.status_code == 302, f"{saved.status_code}\n{saved.text[:2000]}"
    assert answered_in < CROSSREF_DELAY, f"the save took {answered_in:.2f} s: the check ran inside the request"
    reference = Reference.objects.get(doi=CHOU_DOI)
    assert reference.verification_status == VerificationStatus.NOT_CHECKED  # saved; the check is the worker's
    assert worker_finished("evidence.tasks.verify_reference_task", reference.pk), cluster.tails()
    reference.refresh_from_db()
    assert reference.verification_status == VerificationStatus.VERIFIED, cluster.tails()
    assert len(cluster.crossref.requests) == 1
    assert time.monotonic() - started < 40
