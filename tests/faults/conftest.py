"""Fault tests (issue 13): concurrent edits, a server that goes away, killed processes, hostile
input, upgrades and backups. `make test` runs each at a small size; `make faults` runs the same
tests at full size (SIPDESK_FAULTS=full). Every test records its figures with `figures`, and the
run ends with a table of them, so a reader sees how much was tried and what happened.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

FULL = os.environ.get("SIPDESK_FAULTS", "").lower() == "full"

_recorded: list[tuple[str, dict[str, int | float | str]]] = []


def size(small: int, full: int) -> int:
    """How many rounds a fault test runs: `small` in `make test`, `full` in `make faults`."""
    return full if FULL else small


@pytest.fixture
def figures(request: pytest.FixtureRequest) -> Callable[..., None]:
    """`figures(edits=1000, conflicts=37, lost=0)`: the test's numbers for the closing table."""

    def record(**numbers: int | float | str) -> None:
        _recorded.append((request.node.nodeid.split("::", 1)[-1], numbers))

    return record


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _recorded:
        return
    terminalreporter.section(f"fault tests ({'full' if FULL else 'small'} size)")
    for name, numbers in _recorded:
        shown = ", ".join(f"{key}={value}" for key, value in numbers.items())
        terminalreporter.write_line(f"{name}: {shown}")
