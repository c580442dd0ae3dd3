"""Window state (geometry, column widths, sort order, last filter) in one QSettings store.

Kept apart from the user's preferences in `sipdesk.settings` (STYLE habit 6): losing this file
only resets how the windows look. Tests redirect it with `QSettings.setPath(...)` to a temporary
folder, so the store is always opened through `window_state()`.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings


def window_state() -> QSettings:
    """The INI store for window state, in the user's config folder (or where tests point it)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "sipdesk", "sipdesk")


def read_int(settings: QSettings, key: str, default: int) -> int:
    """An integer from the store; anything unreadable gives `default`."""
    value = settings.value(key, default)
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def read_str(settings: QSettings, key: str, default: str) -> str:
    value = settings.value(key, default)
    return value if isinstance(value, str) else default
