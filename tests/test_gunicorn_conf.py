"""gunicorn.conf.py: the master loads the site once for its workers and hands none of its database connections down."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

from django.db import connections
from django.urls import clear_url_caches, get_resolver

CONF = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))


def test_the_workers_share_the_site_the_master_loaded():
    assert CONF["preload_app"] is True


def test_when_ready_loads_the_urls_closes_the_connections_and_keeps_what_is_loaded_from_the_collector(monkeypatch):
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    clear_url_caches()  # as in a master that has not loaded them yet
    assert "url_patterns" not in vars(get_resolver())
    frozen = gc.get_freeze_count()
    try:
        CONF["when_ready"](server=None)  # no database access allowed here: loading the URLs makes no query
        assert "url_patterns" in vars(get_resolver())  # the URL modules and the views they import, loaded
        assert closed == [True]
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()
