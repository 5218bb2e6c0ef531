#!/usr/bin/env python3
"""Milliseconds of one warm in-process request per path (CPU and wall clock), under the settings in the environment.

What a running worker pays per request with the page cache off (set ``PAGE_CACHE=off``): Django's test client,
one warm-up request, then the median and 90th percentile of ``--requests`` requests. The CPU time is this
process's own: on a machine busy with other work it is the steadier figure. ``--profile`` prints where
the time of the last path went (cProfile, cumulative, top 40 lines).

Usage: DJANGO_SETTINGS_MODULE=... PAGE_CACHE=off python bench/render.py [--requests 200] [--profile] PATH...
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _figures(times: list[float]) -> str:
    times = sorted(times)
    return f"median {statistics.median(times):.1f} ms, p90 {times[int(len(times) * 0.9) - 1]:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    print(f"page cache {'on' if settings.PAGE_CACHE else 'off'}, {options.requests} requests per path")
    for path in options.paths:
        status = client.get(path).status_code
        cpu, wall = [], []
        for _ in range(options.requests):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        print(f"{path}: status {status}, CPU {_figures(cpu)}; wall clock {_figures(wall)}")
    if options.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(options.requests):
            client.get(options.paths[-1])
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
