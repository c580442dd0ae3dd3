"""Password hashes on the embedded (SQLite) database, where sipdesk itself checks passwords.

Every new hash is argon2id (`argon2-cffi`) with OWASP's minimum parameters — 19 MiB, two
passes, one lane: about 60 ms on an office PC, so a login stays quick while each guess at a
copied database file costs an attacker as much. The salted scrypt hashes of earlier versions
still verify, and `needs_rehash` tells the login to replace one (or an argon2 hash made with
other parameters) with a new hash while it has the password in hand.

argon2 (with its cffi binding, ~40 ms) is imported on the first hash or check, not at start.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher

ARGON2_PREFIX = "$argon2id$"
SCRYPT_PREFIX = "scrypt$"


@functools.cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher, Type

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)


def hash_password(password: str) -> str:
    """A new argon2id hash (with its own salt and parameters) of `password`."""
    return _hasher().hash(password)


def verify_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches the stored argon2id or (older) scrypt hash."""
    if not stored:
        return False
    if stored.startswith(SCRYPT_PREFIX):
        return _verify_scrypt(password, stored)
    if not stored.startswith(ARGON2_PREFIX):
        return False
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True for a hash the next login should replace: scrypt, or argon2 with old parameters."""
    if not stored.startswith(ARGON2_PREFIX):
        return True
    from argon2.exceptions import InvalidHashError

    try:
        return _hasher().check_needs_rehash(stored)
    except InvalidHashError:
        return True


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def spend_a_check(password: str) -> None:
    """Check `password` against a hash nobody has: an unknown or inactive login costs the same
    time as a wrong password, so the answer's speed does not tell which logins exist."""
    verify_password(password, _dummy_hash())


def _verify_scrypt(password: str, stored: str) -> bool:
    """sipdesk 1's format: scrypt$N$r$p$salt$digest, salt and digest in base64."""
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)

