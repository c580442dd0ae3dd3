"""Pausing in tests without `time.sleep`.

The suite is also run under a fake system clock (`faketime`, see README), and libfaketime
0.9.10 — Debian 12's — makes Python's `time.sleep` fail with EINVAL (it mangles the absolute
monotonic `clock_nanosleep`). A timed `Event.wait` pauses the same and works there too, with
FAKETIME_DONT_FAKE_MONOTONIC=1.
"""

from __future__ import annotations

import threading


def pause(seconds: float) -> None:
    threading.Event().wait(seconds)
