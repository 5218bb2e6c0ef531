"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """The test database, with the site's page tree, groups and workflows built once for the whole run.

    Each test runs in a transaction rolled back after it, so the tree is there for every test. A transactional test
    (live server, browser) empties the database when it ends; those run after the others (see
    ``pytest_collection_modifyitems``) and ``site_pages`` builds the tree again when it is gone.
    """
    from home.services import build_site

    with django_db_blocker.unblock():
        if request.config.getoption("nomigrations"):
            _search_tables_without_migrations()
        build_site()


def _search_tables_without_migrations() -> None:
    """With ``--no-migrations`` (the default, see pyproject.toml) the tables come from the models, which leaves out
    what Wagtail's search migration makes with SQL (SQLite's full-text table and its triggers): run that SQL, taken
    from the migration itself, in place of the plain table the model made. tests/test_migrations.py runs every
    migration; ``--migrations`` builds the test databases with them."""
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.operations.special import RunSQL

    migration = import_module("wagtail.search.migrations.0006_customise_indexentry").Migration
    with connection.cursor() as cursor:
        for operation in migration.operations:
            for inner in getattr(operation, "database_operations", ()):
                if isinstance(inner, RunSQL):
                    cursor.execute(inner.reverse_sql)  # the table the model made (a plain one), or nothing
                    cursor.execute(inner.sql)


@pytest.fixture
def site_pages(db):
    """The site's page tree (home, medicines, classes, articles), as ``build_site`` makes it.

    Found in four queries when the run's tree is there; built again when a transactional test emptied the database.
    """
    from articles.models import ArticleIndexPage
    from home.models import HomePage
    from home.services import build_site
    from medicines.models import DrugClassIndexPage, MedicineIndexPage

    home = HomePage.objects.first()
    if home is None:
        return build_site()
    sections = {
        "medicines": MedicineIndexPage.objects.child_of(home).first(),
        "classes": DrugClassIndexPage.objects.child_of(home).first(),
        "articles": ArticleIndexPage.objects.child_of(home).first(),
    }
    return {"home": home, **sections} if all(sections.values()) else build_site()


@pytest.fixture(autouse=True, scope="session")
def _test_now():
    """Time under control: with APOTHECARY_TEST_NOW (ISO 8601) the whole run (the data built once for it or for a
    module, and every test) happens as if it were that moment.

    The clock ticks on from there, so timeouts and ordering still work. ``make test`` runs without it; CI and
    ``tests/test_time.py`` run the suite once at a date in the future, so no test depends on today's date.
    """
    import os

    moment = os.environ.get("APOTHECARY_TEST_NOW", "").strip()
    if not moment:
        yield
        return
    import time_machine

    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture
def drug_class(site_pages):
    from tests.factories import make_drug_class

    return make_drug_class(site_pages["classes"])


@pytest.fixture
def medicine(site_pages, drug_class):
    from tests.factories import make_baclofen

    return make_baclofen(site_pages["medicines"], drug_class)


# --- The people and packs every app's tests share: one name, one meaning ----------------------------------------


@pytest.fixture
def pharmacist(site_pages):
    """Sam Rivera (pharmacist@example.com), staff, in the Pharmacists group whose rights ``build_site`` installed."""
    from tests.factories import make_pharmacist

    return make_pharmacist()


@pytest.fixture
def patient(db):
    """Robin Patel (robin@example.com): a customer with an account, no staff rights, born 29 Feb 1980, who answered
    "no known allergies" (what a pharmacist needs before approving an order) and declared no other medicines."""
    from tests.factories import health_on_file, make_user

    return make_user("robin@example.com", first_name="Robin", last_name="Patel", **health_on_file())


@pytest.fixture
def editor(site_pages):
    """A member of the Editors group (editor@example.com): writes and submits pages, cannot publish."""
    from tests.factories import make_user

    return make_user("editor@example.com", groups=["Editors"], is_staff=True)


@pytest.fixture
def superuser(site_pages):
    """Bo Ss (boss@example.com), a superuser in no group (not a pharmacist)."""
    from accounts.models import User

    return User.objects.create_superuser("boss@example.com", "pw", first_name="Bo", last_name="Ss")


@pytest.fixture
def admin_client(client, superuser):
    """The test client logged in as ``superuser`` (this project's, in place of pytest-django's own)."""
    client.force_login(superuser)
    return client


@pytest.fixture
def pharmacist_client(pharmacist):
    """A test client of its own, logged in as ``pharmacist`` (beside ``client``, e.g. a patient's)."""
    from django.test import Client

    client = Client()
    client.force_login(pharmacist)
    return client


@pytest.fixture
def otc_pack(site_pages, drug_class):
    """Paracetamol 500 mg (general sale, no prescription), 16 tablets, $2.50, 50 on the shelf."""
    from medicines.models import LegalStatus
    from tests.factories import make_medicine, make_product

    paracetamol = make_medicine(
        site_pages["medicines"], drug_class, "Paracetamol", legal_status=LegalStatus.GENERAL_SALE
    )
    return make_product(paracetamol, strength="500 mg", packs=((16, "2.50", 50),)).packs.get()


# --- Service gates and run plumbing (tests marked postgres / redis / browser) ---------------------------------------
#
# A test marked ``postgres`` needs PostgreSQL as the test database (DATABASE_URL=postgres://...); a test marked
# ``redis`` needs a reachable Redis (TEST_REDIS_URL, else REDIS_URL, else redis://127.0.0.1:6379; always database 15);
# a test marked ``nginx`` needs Debian's nginx with its cache-purge module.
# When the service is missing, the test FAILS in CI (CI=true) and is SKIPPED elsewhere, with the command that runs it.

POSTGRES_HINT = "DATABASE_URL=postgres://postgres@127.0.0.1:5432/apothecary make test"
REDIS_DEFAULT_URL = "redis://127.0.0.1:6379/15"
REDIS_HINT = "start Redis (redis-server), or point TEST_REDIS_URL at one: TEST_REDIS_URL=redis://host:6379/15 make test"
_redis_status: dict[str, str | None] = {}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo site (``manage.py load_demo``), loaded once for a test module and rolled back after it."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(VAR_DIR=tmp_path_factory.mktemp("var")):
        with transaction.atomic():
            call_command("load_demo", allow_production=True, stdout=StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture
def sources(settings):
    """A local fake Crossref and PubMed (``tests.fake_sources``), with the settings pointed at them."""
    from tests import fake_sources

    fake, stop = fake_sources.start(settings)
    try:
        yield fake
    finally:
        stop()


def in_ci() -> bool:
    import os

    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def redis_test_url() -> str:
    """The Redis the redis-marked tests use: TEST_REDIS_URL's or REDIS_URL's server, or 127.0.0.1:6379; database 15.

    Database 15 whatever the URL says, so that a test never writes into the app's own cache database.
    """
    import os
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or REDIS_DEFAULT_URL)
    return urlunsplit(parts._replace(path="/15"))


def _redis_problem(url: str) -> str | None:
    """None when Redis answers PING at ``url``, else why not (checked once per run)."""
    if url not in _redis_status:
        try:
            import redis

            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            try:
                client.ping()
            finally:
                client.close()
            _redis_status[url] = None
        except Exception as exc:  # any failure means "not usable here"
            _redis_status[url] = f"{type(exc).__name__}: {exc}"
    return _redis_status[url]


def _service_missing(item, message: str) -> None:
    import pytest

    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing service fails the run, it is never skipped)", pytrace=False)
    pytest.skip(message)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            _service_missing(item, f"needs PostgreSQL, but the test database is {engine}: {POSTGRES_HINT}")
    if item.get_closest_marker("redis"):
        url = redis_test_url()
        problem = _redis_problem(url)
        if problem:
            _service_missing(item, f"needs Redis at {url} ({problem}): {REDIS_HINT}")
    if item.get_closest_marker("nginx"):
        problem = nginx_problem()
        if problem:
            _service_missing(item, f"needs nginx with the cache-purge module ({problem}): {NGINX_HINT}")


NGINX = "/usr/sbin/nginx"
NGINX_PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"
NGINX_HINT = "sudo apt-get install nginx libnginx-mod-http-cache-purge"


def nginx_problem() -> str | None:
    import os

    for path in (NGINX, NGINX_PURGE_MODULE):
        if not os.path.exists(path):
            return f"{path} is missing"
    return None


@pytest.fixture
def redis_url() -> str:
    """The Redis URL (database 15) for tests marked ``redis``."""
    return redis_test_url()


def pytest_configure(config):
    # pytest-playwright's session-scoped base_url fixture trips a pytest deprecation notice that is not ours to fix.
    config.addinivalue_line("filterwarnings", "ignore:Session-scoped fixtures defined as instance methods")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # Tests in a rolled-back transaction first, while the page tree built once for the run is there; then the
    # transactional ones (live server), which empty the database; browser tests last: once Playwright has started,
    # the main thread has a running event loop.
    def phase(item) -> int:
        if item.get_closest_marker("browser"):
            return 2
        fixtures = getattr(item, "fixturenames", ())
        transactional = any(
            name in fixtures for name in ("transactional_db", "live_server", "django_db_reset_sequences")
        )
        marker = item.get_closest_marker("django_db")
        if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback")):
            transactional = True
        return 1 if transactional else 0

    items.sort(key=phase)


def pytest_sessionfinish(session, exitstatus):
    # Exit code 5 (no tests collected) is a failure for make; say so plainly rather than pass quietly anywhere.
    if exitstatus == 5:
        session.config.get_terminal_writer().line(
            "No tests were collected (exit code 5): check the paths and the -m/-k selection.", red=True
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with empty caches (menus, rate-limit counters), whether local memory or Redis.

    For Redis only this project's keys (KEY_PREFIX) are deleted, never the whole database.
    """
    from django.conf import settings
    from django.core.cache import caches

    from apothecary.core.cache import ResilientRedisCache

    for alias, config in settings.CACHES.items():
        cache = caches[alias]
        if isinstance(cache, ResilientRedisCache):
            try:
                cache.delete_own_keys()
            except Exception as exc:
                pytest.fail(f"The {alias!r} cache is Redis at {config['LOCATION']}, which failed: {exc}", pytrace=False)
        else:
            cache.clear()
