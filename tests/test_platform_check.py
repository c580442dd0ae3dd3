"""`make run`'s check that Qt's xcb platform plugin can load (ui.platform_check): a fresh
Debian/Ubuntu machine gets the missing libraries installed, or one Swedish line with the exact
command, instead of Qt's "Could not load the Qt platform plugin xcb". No real ldd or apt here."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest

from ui import platform_check
from ui.platform_check import decide, ensure_xcb_libraries, missing_libraries, packages_for

# What ldd printed for PySide6's libqxcb.so on a Debian 12 machine without two of the packages.
LDD_OUTPUT = """\
/venv/PySide6/Qt/plugins/platforms/libqxcb.so:
\tlinux-vdso.so.1 (0x00007ff2611e1000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x1)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f5012f79000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f5013b36000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007ff2611e3000)
/venv/PySide6/Qt/lib/libQt6Gui.so.6:
\tlibEGL.so.1 => not found
\tlibfontconfig.so.1 => /lib/x86_64-linux-gnu/libfontconfig.so.1 (0x00007f50122d5000)
"""


# Every library ldd listed for PySide6 6.11's libqxcb.so on Debian 12 (this machine).
QXCB_LINKS = """
libGL.so.1 libxkbcommon.so.0 libxkbcommon-x11.so.0 libxcb-cursor.so.0 libxcb-icccm.so.4
libxcb-util.so.1 libxcb-image.so.0 libxcb-keysyms.so.1 libxcb-randr.so.0 libxcb-render-util.so.0
libxcb-shm.so.0 libxcb-sync.so.1 libxcb-xfixes.so.0 libxcb-render.so.0 libxcb-shape.so.0
libxcb-xkb.so.1 libxcb.so.1 libX11-xcb.so.1 libX11.so.6 libstdc++.so.6 libgcc_s.so.1
libglib-2.0.so.0 libgthread-2.0.so.0 libEGL.so.1 libfontconfig.so.1 libz.so.1 libfreetype.so.6
libGLdispatch.so.0 libGLX.so.0 libzstd.so.1 libXau.so.6 libXdmcp.so.6 libpcre2-8.so.0
libexpat.so.1 libdbus-1.so.3 libpng16.so.16 libbrotlidec.so.1 libbsd.so.0 libsystemd.so.0
libbrotlicommon.so.1 libmd.so.0 libcap.so.2 libgcrypt.so.20 liblzma.so.5 liblz4.so.1
libgpg-error.so.0
"""


class FakeMachine:
    """ldd answers from a set of missing libraries; apt-get install removes the ones its
    packages ship, unless the machine has no package lists yet (until apt-get update)."""

    def __init__(self, missing: set[str], *, lists: bool = True, apt_works: bool = True) -> None:
        self.missing = set(missing)
        self.lists = lists
        self.apt_works = apt_works
        self.commands: list[list[str]] = []

    def find_missing(self) -> set[str]:
        return set(self.missing)

    def run(self, command: Sequence[str]) -> int:
        self.commands.append(list(command))
        if "update" in command:
            self.lists = True
            return 0
        if not (self.lists and self.apt_works):
            return 100
        packages = set(command[command.index("-y") + 1 :])
        self.missing = {
            name
            for name in self.missing
            if platform_check.SONAME_PACKAGES.get(name) not in packages
        }
        return 0


def check(
    machine: FakeMachine,
    *,
    system: str = "linux",
    env: dict[str, str] | None = None,
    is_root: bool = False,
    can_sudo: bool = False,
    has_apt: bool = True,
) -> tuple[int, str]:
    out = io.StringIO()
    code = ensure_xcb_libraries(
        system=system,
        env=env if env is not None else {"DISPLAY": ":0"},
        find_missing=machine.find_missing,
        is_root=is_root,
        can_sudo=lambda: can_sudo,
        has_apt=has_apt,
        run=machine.run,
        out=out,
    )
    return code, out.getvalue()


def test_ldd_output_gives_each_missing_library_once() -> None:
    assert missing_libraries(LDD_OUTPUT) == {
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
        "libEGL.so.1",
    }
    assert missing_libraries("\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x1)\n") == set()


def test_the_libraries_of_the_issue_map_to_their_debian_packages() -> None:
    packages, unknown = packages_for(
        [
            "libxcb-cursor.so.0",
            "libxcb-icccm.so.4",
            "libxcb-keysyms.so.1",
            "libxkbcommon-x11.so.0",
            "libxcb-render-util.so.0",
            "libxcb-image.so.0",
            "libxcb-shape.so.0",
            "libxcb-xinerama.so.0",
            "libxcb-randr.so.0",
            "libEGL.so.1",
            "libGL.so.1",
            "libfontconfig.so.1",
            "libdbus-1.so.3",
            "libglib-2.0.so.0",
            "libgthread-2.0.so.0",  # the same package as GLib: named once
        ]
    )
    assert packages == [
        "libdbus-1-3",
        "libegl1",
        "libfontconfig1",
        "libgl1",
        "libglib2.0-0",
        "libxcb-cursor0",
        "libxcb-icccm4",
        "libxcb-image0",
        "libxcb-keysyms1",
        "libxcb-randr0",
        "libxcb-render-util0",
        "libxcb-shape0",
        "libxcb-xinerama0",
        "libxkbcommon-x11-0",
    ]
    assert unknown == []
    assert packages_for(["libQt6Foo.so.6"]) == ([], ["libQt6Foo.so.6"])


def test_every_library_qxcb_links_on_this_kind_of_machine_has_a_package() -> None:
    assert packages_for(QXCB_LINKS.split())[1] == []


@pytest.mark.parametrize("system", ["win32", "darwin"])
def test_windows_and_macos_are_left_alone(system: str) -> None:
    machine = FakeMachine({"libxcb-icccm.so.4"})
    assert check(machine, system=system, is_root=True) == (0, "")
    assert machine.commands == []


@pytest.mark.parametrize("platform", ["offscreen", "wayland", "minimal"])
def test_another_qt_platform_plugin_needs_no_xcb(platform: str) -> None:
    machine = FakeMachine({"libxcb-icccm.so.4"})
    assert check(machine, env={"QT_QPA_PLATFORM": platform}, is_root=True) == (0, "")
    assert machine.commands == []


def test_xcb_as_a_fallback_or_with_options_is_checked() -> None:
    for chosen in ("wayland;xcb", "xcb:nograb"):
        assert platform_check.xcb_wanted(system="linux", env={"QT_QPA_PLATFORM": chosen})


def test_nothing_missing_does_nothing() -> None:
    machine = FakeMachine(set())
    assert check(machine, is_root=True) == (0, "")
    assert machine.commands == []


def test_root_installs_the_missing_packages_and_goes_on() -> None:
    machine = FakeMachine(missing_libraries(LDD_OUTPUT))
    code, out = check(machine, is_root=True)
    assert code == 0
    assert machine.commands == [
        ["apt-get", "install", "-y", "libegl1", "libxcb-icccm4", "libxcb-keysyms1"]
    ]
    assert "libxcb-icccm4" in out
    assert machine.missing == set()


def test_sudo_without_password_installs_through_sudo() -> None:
    machine = FakeMachine({"libxcb-keysyms.so.1"})
    assert check(machine, can_sudo=True)[0] == 0
    assert machine.commands == [["sudo", "-n", "apt-get", "install", "-y", "libxcb-keysyms1"]]


def test_a_fresh_machine_without_package_lists_updates_them_first() -> None:
    machine = FakeMachine({"libxcb-keysyms.so.1"}, lists=False)
    assert check(machine, is_root=True)[0] == 0
    assert machine.commands == [
        ["apt-get", "install", "-y", "libxcb-keysyms1"],
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "libxcb-keysyms1"],
    ]


def test_without_rights_one_swedish_line_gives_the_exact_command() -> None:
    machine = FakeMachine({"libxcb-keysyms.so.1", "libxcb-icccm.so.4"})
    code, out = check(machine)
    assert code == 1
    assert machine.commands == []
    assert out.count("\n") == 1
    assert out.endswith("Kör: sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1\n")
    assert "Qt saknar några systembibliotek" in out


def test_an_install_that_fails_ends_with_the_command_to_run_by_hand() -> None:
    machine = FakeMachine({"libxcb-keysyms.so.1"}, apt_works=False)
    code, out = check(machine, is_root=True)
    assert code == 1
    # root needs no sudo
    assert out.splitlines()[-1].endswith("Kör: apt-get install -y libxcb-keysyms1")


def test_without_apt_the_missing_files_are_named() -> None:
    machine = FakeMachine({"libxcb-keysyms.so.1"})
    code, out = check(machine, is_root=True, has_apt=False)
    assert code == 1
    assert machine.commands == []
    assert "libxcb-keysyms.so.1" in out
    assert "pakethanterare" in out


def test_a_library_without_a_known_package_is_named_beside_the_command() -> None:
    decision = decide(
        missing={"libxcb-icccm.so.4", "libfoo.so.3"}, is_root=False, can_sudo=False, has_apt=True
    )
    assert decision.message is not None
    assert "sudo apt-get install -y libxcb-icccm4 (och det som ger libfoo.so.3)" in decision.message


def test_without_ldd_or_the_plugin_nothing_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert platform_check.ldd_missing(tmp_path) is None  # no libqxcb.so in this folder
    plugin = tmp_path / platform_check.QT_FILES[0]
    plugin.parent.mkdir(parents=True)
    plugin.touch()
    monkeypatch.setattr(platform_check.shutil, "which", lambda name: None)
    assert platform_check.ldd_missing(tmp_path) is None
