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
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for package in ("sipdesk", "reports") for p in (ROOT / package).rglob("*.py")
        if p.stem != "__init__" and "migrations" not in p.parts
    ]
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


# Query calls belong in the core (issue 11: every rule and every SQL statement in sipdesk/).
QUERY_METHODS = {"select", "where", "get_by_id", "get_or_none", "delete_instance", "prefetch",
                 "get_or_create", "execute_sql", "atomic", "bulk_create", "bulk_update"}
# Names that are also plain Python methods (dict.get, str.join …): a query only when called on
# a model class imported from sipdesk.storage.models.
MODEL_METHODS = {"get", "create", "update", "delete", "insert", "insert_many", "replace"}


def queries_by_hand(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(ROOT)
    models = {alias.asname or alias.name for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("models")
              for alias in node.names}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""])
            found += [f"{where}:{node.lineno} imports {n}" for n in names
                      if n.split(".")[0] in ("peewee", "playhouse", "psycopg")]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, node.func.value
            if isinstance(receiver, ast.Name) and receiver.id == "self":
                continue  # a widget's own method (a view's select(row), say)
            if method in QUERY_METHODS or (
                    method in MODEL_METHODS and isinstance(receiver, ast.Name)
                    and receiver.id in models):
                found.append(f"{where}:{node.lineno} .{method}(")
    return found


@pytest.mark.parametrize("package", ["ui", "reports"])
def test_no_queries_outside_the_core(package: str) -> None:
    """Issue 11: ui/ and reports/ call the core's use cases and read models; they import no
    peewee and build no query, so every rule and every SQL statement lives in the core."""
    offenders = [hit for path in sorted((ROOT / package).rglob("*.py"))
                 for hit in queries_by_hand(path)]
    assert offenders == []


def core_import_graph() -> dict[str, set[str]]:
    """Which sipdesk module imports which, from the source: module-level imports and those
    hidden inside functions alike, relative imports resolved (released migrations excepted)."""
    modules = {}
    for path in (ROOT / "sipdesk").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                # `from . import x` names the module x; `from .x import y` names x (or x.y).
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            graph[name].update(t for t in targets if t in modules and t not in (name, "sipdesk"))
    return graph


def test_the_core_has_no_import_cycles() -> None:
    """Issue 11: a change to messaging must not be able to break lifecycle. Each module builds
    only on those below it; records (meeting_records, plan_records, message_records) sit under
    the use cases that share them."""
    graph = core_import_graph()
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph[module]):
            if target in path:
                cycles.append([*path[path.index(target):], target])
            elif target not in done:
                visit(target, [*path, target])
        done.add(module)

    for module in sorted(graph):
        if module not in done:
            visit(module, [module])
    assert [" → ".join(cycle) for cycle in cycles] == []


# The core's packages, bottom to top (README "The code"): each may import only those below it, so
# a change to messages cannot break the plan, and the folders tell the SIP's story. Beside them
# the foundation every layer may use (errors, clock, paths, settings) and, above all, the demo
# data and the command line.
FOUNDATION = ("errors", "clock", "paths", "settings", "processes")
LAYERS = ("rules", "storage", "accounts", "messages", "casework", "meetings", "plans", "desk",
          "export", "statistics")
ABOVE = ("demo_showcase", "demo_children", "demo", "cli")


def test_the_core_packages_build_on_those_below_them() -> None:
    order = {name: rank for rank, name in enumerate(LAYERS + ABOVE)}
    upward = []
    for module, targets in core_import_graph().items():
        parts = module.split(".")
        if len(parts) < 2 or parts[1] in FOUNDATION:
            continue
        assert parts[1] in order, f"{module}: put it in a layer of the core (README 'The code')"
        for target in targets:
            layer = target.split(".")[1]
            if layer not in FOUNDATION and layer != parts[1] and order[layer] > order[parts[1]]:
                upward.append(f"{module} → {target}")
    assert upward == []
