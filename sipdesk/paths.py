"""Where sipdesk keeps its files: the user's data and config folders (platformdirs) and the
bundled resources. `SIPDESK_DATA_DIR` / `SIPDESK_CONFIG_DIR` / `SIPDESK_LOG_DIR` override them
(tests use this)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "sipdesk"


def data_dir() -> Path:
    """Folder for the embedded database and its backups."""
    override = os.environ.get("SIPDESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Folder for the user's settings file."""
    override = os.environ.get("SIPDESK_CONFIG_DIR")
    path = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    """Folder for the app's log file (created by whoever writes there)."""
    override = os.environ.get("SIPDESK_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir(APP_NAME, False))


def resource_dir() -> Path:
    """The bundled `resources/` folder, in a checkout or inside a PyInstaller build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def default_database_path() -> Path:
    """The embedded SQLite database used when nothing else is chosen."""
    return data_dir() / "sipdesk.sqlite3"
