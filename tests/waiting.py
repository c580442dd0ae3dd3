"""Pausing in tests without `time.sleep`.

The suite is also run under a fake system clock (`faketime`, see README), and libfaketime
0.9.10 — Debian 12's — makes Python's `time.sleep` fail with EINVAL (it mangles the absolute
monotonic `clock_nanosleep`). A timed `Event.wait` pauses the same and works there too, with
FAKETIME_DONT_FAKE_MONOTONIC=1.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any


def pause(seconds: float) -> None:
    threading.Event().wait(seconds)


@contextmanager
def _killed_after(proc: subprocess.Popen[str], timeout: float) -> Iterator[threading.Event]:
    """Kill `proc` once `timeout` seconds have passed inside the block; the event says whether
    it had to."""
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        proc.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        yield killed
    finally:
        timer.cancel()


def run_bounded(args: Sequence[str], *, timeout: float, env: Mapping[str, str] | None = None,
                **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`subprocess.run(..., capture_output=True, text=True)` that kills the program after
    `timeout` seconds — with a timer thread rather than `run(timeout=…)`, whose wait loop calls
    `time.sleep`. The program itself runs without libfaketime (LD_PRELOAD): a build or a frozen
    app has no use for the fake date, and Python's sleep breaks inside it too."""
    clean = dict(os.environ if env is None else env)
    clean.pop("LD_PRELOAD", None)
    with subprocess.Popen(args, env=clean, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kwargs) as proc, _killed_after(proc, timeout) as killed:
        out, err = proc.communicate()
    if killed.is_set():
        raise subprocess.TimeoutExpired(args, timeout, out, err)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def wait_bounded(proc: subprocess.Popen[str], *, timeout: float) -> int:
    """`proc.wait(timeout=…)` without its `time.sleep` loop: the program is killed after
    `timeout` seconds (then TimeoutExpired)."""
    with _killed_after(proc, timeout) as killed:
        code = proc.wait()
    if killed.is_set():
        raise subprocess.TimeoutExpired(proc.args, timeout)
    return code


def without_faketime(env: Mapping[str, str]) -> dict[str, str]:
    """A child's environment without libfaketime (see `run_bounded`)."""
    clean = dict(env)
    clean.pop("LD_PRELOAD", None)
    return clean
