"""Database passwords in the system keyring — never in settings, URLs or logs.

When no keyring backend works (a bare Linux session, say), `keyring_works()` is False: the GUI
says so once and asks for the password each time.
"""

from __future__ import annotations

import contextlib
import logging

import keyring
from keyring.errors import KeyringError

from .db import DatabaseUrl

log = logging.getLogger("sipdesk.passwords")
SERVICE = "sipdesk"


def keyring_works() -> bool:
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend may raise anything while loading
        return False
    priority = getattr(backend, "priority", 0)
    return bool(priority and priority > 0)


def get_password(url: DatabaseUrl) -> str | None:
    if not keyring_works():
        return None
    try:
        return keyring.get_password(SERVICE, url.keyring_key)
    except KeyringError:
        log.warning("keyring read failed")
        return None


def store_password(url: DatabaseUrl, password: str) -> bool:
    """Remember the password; False when the keyring refused."""
    if not keyring_works():
        return False
    try:
        keyring.set_password(SERVICE, url.keyring_key, password)
    except KeyringError:
        log.warning("keyring write failed")
        return False
    return True


def forget_password(url: DatabaseUrl) -> None:
    if not keyring_works():
        return
    with contextlib.suppress(KeyringError):
        keyring.delete_password(SERVICE, url.keyring_key)
