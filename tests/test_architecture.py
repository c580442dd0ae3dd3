"""The import contract of STYLE.md: `sipdesk` imports neither Qt nor `ui`/`reports`, and
`reports` imports no Qt. Checked on the source (every import statement) and at run time."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "sipdesk": ("PySide6", "shiboken6", "ui", "reports"),
    "reports": ("PySide6", "shiboken6", "ui"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_what_depends_on_it(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in FORBIDDEN[package]:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_importing_the_whole_core_loads_no_qt() -> None:
    modules = [
        f"sipdesk.{p.stem}" for p in (ROOT / "sipdesk").glob("*.py") if p.stem != "__init__"
    ] + [f"reports.{p.stem}" for p in (ROOT / "reports").glob("*.py") if p.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_app_starts_without_reportlab() -> None:
    """STYLE.md 13: ReportLab costs ~150 ms to import; it is loaded when the user prints."""
    ui_modules = sorted(
        "ui." + ".".join(p.relative_to(ROOT / "ui").with_suffix("").parts)
        for p in (ROOT / "ui").rglob("*.py") if p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {ui_modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'reports'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=False, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


# Calls that read the real date or time; only sipdesk/clock.py may make them (STYLE.md 14).
CLOCK_READS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"),
               ("datetime", "today"), ("QDate", "currentDate"), ("QDateTime", "currentDateTime")}


def clock_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute | ast.Name):
            owner = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
            if (owner, node.attr) in CLOCK_READS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner}.{node.attr}")
    return found


def test_only_the_clock_module_reads_the_date_and_time() -> None:
    """STYLE.md 14, one clock: the core, the reports and the UI ask sipdesk.clock for today
    and now, so tests can freeze it (released migrations, which never change, are exempt)."""
    offenders = [
        hit for package in ("sipdesk", "reports", "ui")
        for path in sorted((ROOT / package).rglob("*.py"))
        if path.name != "clock.py" and path.parent.name != "migrations"
        for hit in clock_reads(path)
    ]
    assert offenders == []
