"""Before `make run` on Linux: can Qt's xcb platform plugin load its system libraries?

PySide6's wheels bring Qt but not the X11/xcb libraries under it. Without them Qt stops with
"Could not load the Qt platform plugin xcb", which tells a new user nothing. This module runs
`ldd` on the plugin and the Qt libraries it needs, maps the missing files to Debian/Ubuntu
packages and installs them (as root, or where `sudo` needs no password), or prints the one
command to run. Run as `python -m ui.platform_check`; it imports no Qt, so it works exactly where
Qt would fail. On Windows and macOS, or under another platform plugin, it does nothing.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

# The libraries that PySide6's xcb plugin and Qt's GUI libraries link, with the Debian/Ubuntu
# package that ships each (the same names on Debian 12 and Ubuntu 22.04/24.04; where Ubuntu 24.04
# renamed a package for 64-bit time, "…t64", apt picks it for the old name by itself).
SONAME_PACKAGES: Mapping[str, str] = {
    # xcb and X11
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    # OpenGL / EGL (glvnd)
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    # fonts, D-Bus, GLib and what they pull in
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libexpat.so.1": "libexpat1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libpcre2-8.so.0": "libpcre2-8-0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libsystemd.so.0": "libsystemd0",
    "libcap.so.2": "libcap2",
    "libgcrypt.so.20": "libgcrypt20",
    "libgpg-error.so.0": "libgpg-error0",
    "liblzma.so.5": "liblzma5",
    "liblz4.so.1": "liblz4-1",
    "libbsd.so.0": "libbsd0",
    "libmd.so.0": "libmd0",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
}

# What `ldd` is run on, relative to PySide6/Qt: the plugin itself and the Qt libraries a window
# needs. ldd follows dependencies, so a library missing further down is reported too.
QT_FILES = (
    "plugins/platforms/libqxcb.so",
    "lib/libQt6XcbQpa.so.6",
    "lib/libQt6Gui.so.6",
    "lib/libQt6Widgets.so.6",
    "lib/libQt6DBus.so.6",
)

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)

# The message sipdesk's window would need, for the one line we print.
_WHY = "sipdesk kan inte öppna sitt fönster: Qt saknar några systembibliotek."


def missing_libraries(ldd_output: str) -> set[str]:
    """The library files ("sonames") that `ldd` reports as "not found"."""
    return set(_NOT_FOUND.findall(ldd_output))


def packages_for(sonames: Iterable[str]) -> tuple[list[str], list[str]]:
    """Debian packages for the given libraries, and the libraries no package is known for;
    both sorted and without repeats."""
    packages = {SONAME_PACKAGES[name] for name in sonames if name in SONAME_PACKAGES}
    unknown = {name for name in sonames if name not in SONAME_PACKAGES}
    return sorted(packages), sorted(unknown)


def xcb_wanted(*, system: str, env: Mapping[str, str]) -> bool:
    """True on Linux unless QT_QPA_PLATFORM chooses other plugins (offscreen, wayland …).

    QT_QPA_PLATFORM may list fallbacks ("wayland;xcb") and plugin options ("xcb:foo=1")."""
    if system != "linux":
        return False
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if not chosen:
        return True
    return any(entry.split(":", 1)[0].strip() == "xcb" for entry in chosen.split(";"))


def apt_command(*args: str, sudo: bool) -> list[str]:
    return [*(["sudo", "-n"] if sudo else []), "apt-get", *args]


@dataclass(frozen=True)
class Decision:
    """What to do about the missing libraries: nothing, install `packages`, or tell the person
    `message` and stop."""

    packages: list[str] = field(default_factory=list)
    sudo: bool = False
    message: str | None = None


def decide(
    *, missing: set[str], is_root: bool, can_sudo: bool, has_apt: bool, may_install: bool = True
) -> Decision:
    """The decision for `missing` libraries on a machine with these rights and tools."""
    if not missing:
        return Decision()
    packages, unknown = packages_for(missing)
    if has_apt and packages and may_install and (is_root or can_sudo):
        return Decision(packages=packages, sudo=not is_root)
    if has_apt and packages:
        command = " ".join(apt_command("install", "-y", *packages, sudo=False))
        also = f" (och det som ger {', '.join(unknown)})" if unknown else ""
        return Decision(message=f"{_WHY} Kör: {'' if is_root else 'sudo '}{command}{also}")
    return Decision(
        message=f"{_WHY} Installera det som ger {', '.join(sorted(missing))} "
        "med datorns pakethanterare."
    )


def qt_dir() -> Path | None:
    """PySide6's Qt folder, found without importing PySide6 (importing it could itself fail)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "Qt"
        if candidate.is_dir():
            return candidate
    return None


def ldd_missing(folder: Path) -> set[str] | None:
    """Libraries `ldd` cannot find for Qt's xcb plugin; None where that cannot be checked (no
    ldd, no plugin)."""
    ldd = shutil.which("ldd")
    files = [str(folder / name) for name in QT_FILES if (folder / name).exists()]
    if ldd is None or not files or not (folder / QT_FILES[0]).exists():
        return None
    result = subprocess.run(
        [ldd, *files], capture_output=True, text=True, check=False, env=_c_locale()
    )
    return missing_libraries(result.stdout)


def _c_locale() -> dict[str, str]:
    # ldd's "not found" is translated in some locales.
    return {**os.environ, "LC_ALL": "C"}


def _run(command: Sequence[str]) -> int:
    env = {**_c_locale(), "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(list(command), check=False, env=env).returncode


def _can_sudo() -> bool:
    if shutil.which("sudo") is None:
        return False
    quiet = subprocess.DEVNULL
    return subprocess.run(["sudo", "-n", "true"], stdout=quiet, stderr=quiet).returncode == 0


def ensure_xcb_libraries(
    *,
    system: str,
    env: Mapping[str, str],
    find_missing: Callable[[], set[str] | None],
    is_root: bool,
    can_sudo: Callable[[], bool],
    has_apt: bool,
    run: Callable[[Sequence[str]], int],
    out: TextIO,
) -> int:
    """0 when Qt's xcb plugin can load (after installing what was missing, where allowed);
    otherwise 1, after one line that says what to run."""
    if not xcb_wanted(system=system, env=env):
        return 0
    missing = find_missing()
    if not missing:
        return 0
    decision = decide(
        missing=missing, is_root=is_root, can_sudo=bool(has_apt and can_sudo()), has_apt=has_apt
    )
    if decision.packages:
        print(
            "Installerar systembibliotek som Qt behöver för att visa fönster: "
            + " ".join(decision.packages),
            file=out,
            flush=True,
        )
        install = apt_command("install", "-y", *decision.packages, sudo=decision.sudo)
        if run(install) != 0:
            # A fresh machine often has no package lists yet.
            run(apt_command("update", sudo=decision.sudo))
            run(install)
        missing = find_missing() or set()
        # Whatever is still missing (no network, apt busy …) is for the person to install.
        decision = decide(
            missing=missing, is_root=is_root, can_sudo=False, has_apt=has_apt, may_install=False
        )
    if decision.message:
        print(decision.message, file=out)
        return 1
    return 0


def main() -> int:
    folder = qt_dir()
    return ensure_xcb_libraries(
        system=sys.platform,
        env=os.environ,
        find_missing=lambda: ldd_missing(folder) if folder else None,
        is_root=hasattr(os, "geteuid") and os.geteuid() == 0,
        can_sudo=_can_sudo,
        has_apt=shutil.which("apt-get") is not None,
        run=_run,
        out=sys.stderr,
    )


if __name__ == "__main__":
    sys.exit(main())
