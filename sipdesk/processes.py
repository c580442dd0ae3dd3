"""Running another program with a time limit, without `subprocess`'s timed waits.

`subprocess.run(timeout=…)` and `Popen.wait(timeout=…)` wait in a loop of short sleeps; under
libfaketime (`faketime … make test`, README) that sleep fails with EINVAL, and the program looks
as if it could not be run. Here a timer thread kills the program when the time is up, and the
wait itself blocks without sleeping.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any


@contextmanager
def killed_after(process: subprocess.Popen[str], timeout: float) -> Iterator[threading.Event]:
    """Kill `process` once `timeout` seconds have passed inside the block; the event says
    whether it had to."""
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        process.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        yield killed
    finally:
        timer.cancel()


def run_bounded(args: Sequence[str], *, timeout: float, env: Mapping[str, str] | None = None,
                **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`subprocess.run(args, capture_output=True, text=True)` that kills the program after
    `timeout` seconds; then `subprocess.TimeoutExpired`."""
    with subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kwargs) as process, \
            killed_after(process, timeout) as killed:
        out, err = process.communicate()
    if killed.is_set():
        raise subprocess.TimeoutExpired(args, timeout, out, err)
    return subprocess.CompletedProcess(args, process.returncode, out, err)
