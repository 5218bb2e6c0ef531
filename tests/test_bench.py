"""The arithmetic of `make bench` (bench/run.py): reading wrk's report and the kernel's CPU and memory counters.
Nothing timed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.run import busy_ticks, memory_mib, others_cpu, parse_wrk, process_ticks

WRK_REPORT = """Running 1s test @ http://127.0.0.1:8765/medicines/baclofen/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.49ms    2.19ms  13.57ms   77.74%
    Req/Sec     0.87k   315.93     1.38k    65.00%
  Latency Distribution
     50%  512.00us
     75%    4.91ms
     90%    6.47ms
     99%    1.20s
  1743 requests in 1.01s, 0.86MB read
  Socket errors: connect 0, read 2, write 1, timeout 4
  Non-2xx or 3xx responses: 17
Requests/sec:   1725.55
Transfer/sec:      0.86MB
"""


def test_wrk_report_gives_rate_percentiles_in_ms_and_errors():
    figures = parse_wrk(WRK_REPORT)
    assert figures == {"rps": 1725.55, "p50": 0.512, "p99": 1200.0, "requests": 1743, "errors": 7, "non2xx": 17}


def test_no_wrk_report_gives_no_figures_and_no_errors():
    assert parse_wrk("unable to connect to 127.0.0.1:1 Connection refused") == {
        "rps": None, "p50": None, "p99": None, "requests": None, "errors": 0, "non2xx": 0,
    }  # fmt: skip


def test_busy_ticks_leave_out_idle_and_disk_waits():
    # user nice system idle iowait irq softirq steal guest guest_nice
    assert busy_ticks("cpu  100 2 30 5000 40 5 6 7 0 0\ncpu0 50 1 15 2500 20 2 3 3 0 0\n") == 150


def test_process_ticks_read_past_a_name_with_spaces_and_parentheses():
    fields = ["S", "42"] + ["0"] * 9 + ["11", "22", "33", "44"] + ["0"] * 30  # state, ppid, ..., utime..cstime
    assert process_ticks(f"1234 (gunicorn: worker (x)) {' '.join(fields)}") == (42, 110)


def test_others_cpu_is_the_machines_work_less_this_runs_in_cores(monkeypatch):
    monkeypatch.setattr("bench.run.CLOCK_TICKS", 100)
    assert others_cpu(busy=300, ours=100, seconds=2) == pytest.approx(1.0)
    assert others_cpu(busy=90, ours=100, seconds=2) == 0  # counters read a moment apart: never below nothing


def test_memory_is_the_processs_resident_set_and_its_share_of_it():
    touch_64_mib = "b = bytearray(64 << 20); b[::4096] = bytes(16384 * [1]); print(flush=True); input()"
    child = subprocess.Popen([sys.executable, "-c", touch_64_mib], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        child.stdout.readline()  # its 64 MiB are written: every page resident
        rss, pss = memory_mib(child.pid)
        assert 64 < rss < 128
        assert 64 < pss <= rss  # those pages are its own; only the pages it shares are divided
    finally:
        child.communicate(b"\n")
    assert memory_mib(child.pid) is None  # gone: no figure, no error
