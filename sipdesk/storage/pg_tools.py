"""PostgreSQL's own programs, pg_dump and pg_restore: finding them and running them safely.

A backup of the shared server is PostgreSQL's custom format, which only `pg_dump` writes and
only `pg_restore` reads. They are looked for on PATH and in the places the installers put them
(Debian's /usr/lib/postgresql/N/bin, Windows' Program Files\\PostgreSQL\\N\\bin, Homebrew,
Postgres.app); the newest found wins, since a newer pg_dump reads an older server but not the
other way round.

The password reaches the child only through its environment (`PGPASSWORD`), never its command
line — any user on the machine may read another process's arguments, not its environment — and
never a log. `--no-password` makes a child that still lacks one fail at once instead of waiting
for a terminal that a scheduled job does not have.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sipdesk.errors import SipError
from sipdesk.processes import run_bounded
from sipdesk.storage.db import DatabaseUrl

log = logging.getLogger("sipdesk.storage.pg_tools")


def _program_files() -> str:
    return os.environ.get("PROGRAMFILES", r"C:\Program Files")


# Where installers put the client programs, one folder per major version (`*`). Tests replace
# this to pretend nothing is installed.
PG_BIN_GLOBS: tuple[str, ...] = (
    "/usr/lib/postgresql/*/bin",
    "/usr/pgsql-*/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql@*/bin",
    "/Applications/Postgres.app/Contents/Versions/*/bin",
    os.path.join(_program_files(), "PostgreSQL", "*", "bin"),
)

_VERSION = re.compile(r"\(PostgreSQL\)\s*(\d+)(?:\.(\d+))?")


class ToolProblem(SipError):
    """pg_dump or pg_restore is missing, too old or failed; the message says so in Swedish."""


@dataclass(frozen=True, order=True)
class PgVersion:
    """A PostgreSQL major version: 15, 16 … (and 9.6-style pairs before 10)."""

    major: int
    minor: int = 0

    @classmethod
    def from_server_number(cls, number: int) -> PgVersion:
        """From `server_version_num` (150020 → 15, 90624 → 9.6)."""
        if number >= 100_000:
            return cls(number // 10_000)
        return cls(number // 10_000, number // 100 % 100)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}" if self.major < 10 else str(self.major)


@dataclass(frozen=True)
class Tool:
    name: str
    path: Path
    version: PgVersion


def _version_of(path: Path) -> PgVersion | None:
    try:
        answer = run_bounded([str(path), "--version"], timeout=20, errors="replace")
    except (OSError, subprocess.SubprocessError):
        return None
    found = _VERSION.search(answer.stdout)
    if found is None:
        return None
    major = int(found.group(1))
    return PgVersion(major, int(found.group(2) or 0) if major < 10 else 0)


def _candidates(name: str) -> Iterator[Path]:
    exe = name + (".exe" if sys.platform == "win32" else "")
    on_path = shutil.which(name)
    if on_path:
        yield Path(on_path)
    folders = [Path(folder) for pattern in PG_BIN_GLOBS for folder in glob.glob(pattern)]
    digits = re.compile(r"(\d+)(?:\.(\d+))?")

    def folder_version(folder: Path) -> tuple[int, int]:
        found = digits.search(folder.parent.name) or digits.search(folder.name)
        return (int(found.group(1)), int(found.group(2) or 0)) if found else (0, 0)

    for folder in sorted(folders, key=folder_version, reverse=True):
        if (folder / exe).is_file():
            yield folder / exe


def find_tool(name: str) -> Tool:
    """The newest `name` (pg_dump, pg_restore) on this machine; PATH wins a tie."""
    best: Tool | None = None
    seen: set[Path] = set()
    for path in _candidates(name):
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        version = _version_of(path)
        if version is not None and (best is None or version > best.version):
            best = Tool(name, path, version)
    if best is None:
        raise ToolProblem(
            f"Programmet {name} hittades inte. Det följer med PostgreSQL:s klientprogram: "
            "installera dem (Debian/Ubuntu: paketet postgresql-client, Red Hat: postgresql, "
            "Windows: PostgreSQL-installationens »Command Line Tools«) eller lägg mappen där "
            f"{name} finns i PATH."
        )
    log.info("using %s version %s", name, best.version)
    return best


def check_not_older(tool: Tool, server: PgVersion) -> None:
    """pg_dump refuses a server newer than itself; say so before it starts, and what to do."""
    if tool.version < server:
        raise ToolProblem(
            f"{tool.name} ({tool.path}) är version {tool.version}, men databasservern kör "
            f"PostgreSQL {server}. {tool.name} måste vara minst lika ny som servern: "
            f"installera PostgreSQL:s klientprogram version {server} eller senare "
            f"(Debian/Ubuntu: paketet postgresql-client-{server})."
        )


def connection_arguments(url: DatabaseUrl) -> list[str]:
    """Where to connect, for the command line (nothing secret: no password, ever)."""
    return ["--host", url.host, "--port", str(url.port), "--username", url.user,
            "--no-password"]


def child_environment(password: str | None) -> dict[str, str]:
    """The child's environment: ours, plus the password, and messages in English so that the
    progress lines (`--verbose`) can be read whatever language the machine speaks."""
    env = dict(os.environ)
    env.pop("LC_ALL", None)
    env["LC_MESSAGES"] = "C"
    env["PGAPPNAME"] = "sipdesk-backup"
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    if password:
        env["PGPASSWORD"] = password
    return env


def list_archive(tool: Tool, file: Path) -> list[str]:
    """The table of contents of a custom-format backup (`pg_restore --list`)."""
    answer = run_bounded([str(tool.path), "--list", str(file)], env=child_environment(None),
                         timeout=300, errors="replace")
    if answer.returncode != 0:
        last = (answer.stderr.strip().splitlines() or ["okänt fel"])[-1]
        raise ToolProblem(f"{file} går inte att läsa som en säkerhetskopia av PostgreSQL: {last}")
    return answer.stdout.splitlines()


_GRANTEE = re.compile(r"^(?:GRANT|REVOKE)\b.*?\b(?:TO|FROM)\s+(.+?);\s*$", re.MULTILINE)


def roles_in_archive(tool: Tool, file: Path) -> set[str]:
    """The roles a backup's privileges name (`GRANT … TO role`): the group roles sipdesk made
    on the old server, which a new server may lack — `pg_restore` stops at a GRANT to a role
    that does not exist. Read from the schema part of the backup as SQL (no database needed)."""
    answer = run_bounded([str(tool.path), "--schema-only", "--file", "-", str(file)],
                         env=child_environment(None), timeout=300, errors="replace")
    if answer.returncode != 0:
        return set()  # the restore itself will say what is wrong with the file
    roles: set[str] = set()
    for listed in _GRANTEE.findall(answer.stdout):
        for name in listed.split(","):
            name = name.strip().removesuffix(" WITH GRANT OPTION").strip()
            if name and name.upper() not in ("PUBLIC", "CURRENT_USER", "SESSION_USER"):
                roles.add(name.strip('"'))
    return roles


def run_verbose(command: list[str], *, password: str | None, counts: str,
                step: Callable[[], None]) -> None:
    """Run a pg_dump/pg_restore `command` with `--verbose`; call `step` for each line of its
    report that contains `counts` (a table done). Raises ToolProblem with the program's own
    error lines when it fails."""
    errors: list[str] = []
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env=child_environment(password), text=True, errors="replace",
    )
    assert process.stderr is not None
    with process:
        for line in process.stderr:
            if counts in line:
                step()
            elif any(word in line.lower() for word in ("error", "fatal", "detail:", "hint:")):
                errors.append(line.strip())
    if process.returncode != 0:
        name = Path(command[0]).stem
        log.error("%s failed with exit code %d", name, process.returncode)
        detail = "\n".join(errors[-5:]) or f"(avslutades med kod {process.returncode})"
        raise ToolProblem(f"{name} misslyckades:\n{detail}")
