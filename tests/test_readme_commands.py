"""The README shows only command lines that a test runs.

Every `sipdesk …` line in README.md (inline code or a line of a code block) must be accepted by
the parser; the `migrate` and `demo` lines are also run, against a temporary SQLite database.
The README's placeholders stand for: URL a database address, N a number of cases, S a seed.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from sipdesk.cli import build_parser
from sipdesk.paths import resource_dir
from sipdesk.storage.db import database
from ui.main import main

README = Path(__file__).resolve().parent.parent / "README.md"
# `sipdesk` followed by an option or a word, not `sipdesk.sqlite3` or `sipdesk/`.
COMMAND = re.compile(r"^sipdesk(?: [^`]*)?$")
# Demo lines with more cases than this are only parsed: the benchmark's 100,000 take a minute.
MOST_CASES_RUN = 50


def readme_command_lines() -> list[str]:
    text = README.read_text(encoding="utf-8")
    found: list[str] = []
    in_block = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_block = not in_block
            continue
        if in_block:
            candidates = [line.split("#")[0].strip()]
        else:
            candidates = [span.strip() for span in re.findall(r"`([^`]+)`", line)]
        found += [c for c in candidates if COMMAND.match(c) and c != "sipdesk"]
    return found


LINES = readme_command_lines()


def test_the_readme_shows_the_commands_people_need() -> None:
    # Guards the extraction itself: if it finds nothing, the tests below prove nothing.
    commands = {shlex.split(line)[1] for line in LINES}
    assert {"migrate", "demo", "--database"} <= commands


def filled_in(line: str, url: str) -> list[str]:
    values = {"URL": url, "N": "3", "S": "1"}
    return [values.get(word, word) for word in shlex.split(line)[1:]]


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite file, also the environment's database for lines without --database."""
    url = f"sqlite:///{tmp_path / 'readme.sqlite3'}"
    monkeypatch.setenv("SIPDESK_DATABASE", url)
    yield url
    if database.obj is not None:
        database.close()
        database.initialize(None)


@pytest.mark.parametrize("line", LINES)
def test_readme_command_line_is_accepted(line: str, sqlite_url: str) -> None:
    argv = filled_in(line, sqlite_url)
    args = build_parser().parse_args(argv)
    if "--database" in argv:
        assert args.database == argv[argv.index("--database") + 1]


def runnable(line: str) -> bool:
    argv = shlex.split(line)[1:]
    if not argv or argv[0] not in ("migrate", "demo"):
        return False  # the app itself, or a document to print: parsed above
    return not ("--cases" in argv and argv[argv.index("--cases") + 1].isdigit()
                and int(argv[argv.index("--cases") + 1]) > MOST_CASES_RUN)


@pytest.mark.parametrize("line", [line for line in LINES if runnable(line)])
def test_readme_command_line_runs(
    line: str, sqlite_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    argv = filled_in(line, sqlite_url)
    if argv[0] == "demo" and not (resource_dir() / "testpersonnummer.txt").exists():
        pytest.skip("resources/testpersonnummer.txt (demo data) is not in the repo")
    assert main(argv) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert Path(sqlite_url.removeprefix("sqlite:///")).is_file()
    if argv[0] == "migrate":
        assert out.startswith("Uppdaterade databasen: 0001_initial")
    else:
        assert out.startswith("3 påhittade ärenden skapade på ")
