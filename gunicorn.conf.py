"""gunicorn's settings for Apothecary: gunicorn reads this file when started from this folder (README: Running in
production; `make bench`); options on its command line still win.

The master process loads the site once (Django, Wagtail, every app and the URLs with the views they import) and then
starts the workers, which share those pages with it and with each other for as long as none writes to them
(copy-on-write), instead of each loading a copy of its own. New code therefore needs a restart of gunicorn: a
``kill -HUP`` starts new workers from the code the master loaded.
"""

import gc

preload_app = True


def when_ready(server):
    """In the master: the site is loaded and no worker started yet."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loads the URLs and their views here, once for every worker)
    connections.close_all()  # no database connection is handed down: each worker opens its own
    gc.freeze()  # what is loaded stays out of the collector's way, so its pages stay shared
