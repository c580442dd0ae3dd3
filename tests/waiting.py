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
from collections.abc import Mapping, Sequence
from typing import Any

from sipdesk import processes


def pause(seconds: float) -> None:
    threading.Event().wait(seconds)


def run_bounded(args: Sequence[str], *, timeout: float, env: Mapping[str, str] | None = None,
                **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`sipdesk.processes.run_bounded` (a time limit without `time.sleep`) for a program that
    runs without libfaketime (LD_PRELOAD): a build or a frozen app has no use for the fake date,
    and Python's sleep breaks inside it too."""
    return processes.run_bounded(args, timeout=timeout,
                                 env=without_faketime(os.environ if env is None else env),
                                 **kwargs)


def wait_bounded(proc: subprocess.Popen[str], *, timeout: float) -> int:
    """`proc.wait(timeout=…)` without its `time.sleep` loop: the program is killed after
    `timeout` seconds (then TimeoutExpired)."""
    with processes.killed_after(proc, timeout) as killed:
        code = proc.wait()
    if killed.is_set():
        raise subprocess.TimeoutExpired(proc.args, timeout)
    return code


def without_faketime(env: Mapping[str, str]) -> dict[str, str]:
    """A child's environment without libfaketime (see `run_bounded`)."""
    clean = dict(env)
    clean.pop("LD_PRELOAD", None)
    return clean
