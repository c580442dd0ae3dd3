"""Database passwords in the system keyring — never in settings, URLs or logs.

When no keyring backend works (a bare Linux session, say), `keyring_works()` is False: the GUI
says so once and asks for the password each time. `keyring` (and its backends) is imported on
first use — only a PostgreSQL database has a password — not when sipdesk starts.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

from sipdesk.storage.db import DatabaseUrl

if TYPE_CHECKING:
    from types import ModuleType

log = logging.getLogger("sipdesk.accounts.passwords")
SERVICE = "sipdesk"


def _keyring() -> ModuleType:
    import keyring

    return keyring


def keyring_works() -> bool:
    try:
        backend = _keyring().get_keyring()
    except Exception:  # a broken backend may raise anything while loading
        return False
    priority = getattr(backend, "priority", 0)
    return bool(priority and priority > 0)


def get_password(url: DatabaseUrl) -> str | None:
    if not keyring_works():
        return None
    from keyring.errors import KeyringError

    try:
        return _keyring().get_password(SERVICE, url.keyring_key)
    except KeyringError:
        log.warning("keyring read failed")
        return None


def store_password(url: DatabaseUrl, password: str) -> bool:
    """Remember the password; False when the keyring refused."""
    if not keyring_works():
        return False
    from keyring.errors import KeyringError

    try:
        _keyring().set_password(SERVICE, url.keyring_key, password)
    except KeyringError:
        log.warning("keyring write failed")
        return False
    return True


def forget_password(url: DatabaseUrl) -> None:
    if not keyring_works():
        return
    from keyring.errors import KeyringError

    with contextlib.suppress(KeyringError):
        _keyring().delete_password(SERVICE, url.keyring_key)
