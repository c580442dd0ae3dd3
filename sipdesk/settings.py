"""User settings, declared once with type, default and label (Picard's options.py habit).

Stored as JSON in the user's config folder. Window state (column widths, geometry) is not kept
here but by the GUI; passwords are never kept here but in the system keyring.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sipdesk.paths import config_dir

log = logging.getLogger("sipdesk.settings")


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    label: str


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("child_letter_age", int, 12,
                "Från den här åldern får ett barn egna brev och en egen plan med text för barn"),
        Setting("database_url", str, "", "Databas (lämna tomt för den inbyggda databasen)"),
        Setting("last_login", str, "", "Senast inloggade användare"),
        Setting("lock_minutes", int, 10,
                "Lås sipdesk när du inte har använt det på så här många minuter"),
        Setting("municipality_logo", str, "", "Kommunens logotyp (bildfil) för utskrifter"),
        Setting("remember_password", bool, False, "Kom ihåg lösenordet till databasservern"),
        Setting("reminder_workdays", int, 2,
                "Påminn om meddelanden som inte kvitterats efter så här många arbetsdagar"),
    )
}


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load() -> dict[str, Any]:
    """All settings, defaults filled in; a damaged file is logged and ignored."""
    values = {key: s.default for key, s in SETTINGS.items()}
    path = settings_path()
    if path.exists():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            log.warning("settings file unreadable, using defaults")
            stored = {}
        for key, value in stored.items():
            spec = SETTINGS.get(key)
            if spec is not None and isinstance(value, spec.type):
                values[key] = value
    return values


def get(key: str) -> Any:
    return load()[key]


def set_value(key: str, value: Any) -> None:
    """Save one setting; refuses unknown keys and wrong types."""
    spec = SETTINGS[key]
    if not isinstance(value, spec.type):
        raise TypeError(f"setting {key} must be {spec.type.__name__}")
    values = load()
    values[key] = value
    path = settings_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(values, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
