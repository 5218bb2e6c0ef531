#!/usr/bin/env python3
"""SQL queries of one warm request per path, in-process, under the settings in the environment.

Usage (bench/run.py calls it): DJANGO_SETTINGS_MODULE=... python bench/queries.py / /medicines/baclofen/ ...
Prints one JSON line: {path: {"status": ..., "queries": ..., "first_queries": ...}}.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(paths: list[str]) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)  # a broken page reports its 500
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as first:
            client.get(path)
        with CaptureQueriesContext(connection) as warm:  # what a running worker pays on each request
            response = client.get(path)
        counts[path] = {"status": response.status_code, "queries": len(warm), "first_queries": len(first)}
    print(json.dumps(counts))


if __name__ == "__main__":
    main(sys.argv[1:])
