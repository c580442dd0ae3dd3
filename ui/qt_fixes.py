"""A guard against a reference-counting bug in PySide6 6.12.0 on CPython 3.11.

That binding hands back `None` from every void Qt method (`label.setText(...)`, `hide()`, ...)
and `True` from `signal.emit()` without taking a reference to it — it assumes, as CPython 3.12+
guarantees, that those objects are immortal. On 3.11 each such call lowers their reference count
by one; after some tens of thousands of calls (minutes of normal use, or a test run) the
interpreter frees `None` or `True` and aborts ("none_dealloc: deallocating None").
PySide6 6.11.x does not have the bug; requiring PySide6 below 6.12 is the clean fix.

`apply()` measures whether the running binding loses references and, only then, gives `None`,
`True` and `False` a reference count so large that no session can use it up — what CPython 3.12
does by making them immortal. On a good binding or a newer Python it does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import sys

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("sipdesk.ui.qt_fixes")

# Half of what the reference count field can hold: plenty, and far from overflowing it.
_EXTRA = 1 << (8 * ctypes.sizeof(ctypes.c_ssize_t) - 2)
_applied = False


class _Probe(QObject):
    ping = Signal()


def binding_loses_references() -> bool:
    """True when Qt calls from Python lower the reference counts of `None` or `True`."""
    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(20):
        probe.ping.emit()  # returns True
        probe.setObjectName("probe")  # a void method: returns None
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    return lost_none >= 10 or lost_true >= 10


def apply() -> None:
    """Guard this process against the bug if it has it (once; cheap to call again)."""
    global _applied
    if _applied:
        return
    _applied = True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return  # None, True and False are immortal there
    if not binding_loses_references():
        return
    for singleton in (None, True, False):
        # CPython 3.11 keeps the reference count in the first field of every object.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _EXTRA
    log.warning(
        "this PySide6 version loses references to None/True; guarded against it — "
        "install PySide6 6.11 for a clean fix"
    )
