"""scripts/ensure-machine, which `make test` runs first: on this machine (everything present)
it does nothing; on a machine without the packages it installs each one, updating the package
lists when a plain install fails, and names the package when it cannot install it."""

import os
import subprocess
from pathlib import Path

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "ensure-machine"
PACKAGES = ["chromium", "libreoffice-calc", "libreoffice-writer", "poppler-utils", "fonts-noto-cjk"]


def _fake_apt(tmp_path: Path, behaviour: str) -> Path:
    """An apt-get that logs its calls; `stale` fails installs until `update` ran; `broken`
    fails everything."""
    apt = tmp_path / "apt-get"
    apt.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {tmp_path}/calls\n'
        f'[ "{behaviour}" = broken ] && exit 100\n'
        f'[ "$1" = update ] && touch {tmp_path}/updated && exit 0\n'
        f'[ "{behaviour}" = stale ] && [ ! -f {tmp_path}/updated ] && exit 100\n'
        "exit 0\n"
    )
    apt.chmod(0o755)
    return apt


def _ensure(tmp_path: Path, behaviour: str, root: Path | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ENSURE_APT": str(_fake_apt(tmp_path, behaviour))}
    if root is not None:
        env["ENSURE_ROOT"] = str(root)
    return subprocess.run(
        [SCRIPT, "test"], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "calls"
    return log.read_text().splitlines() if log.exists() else []


def test_nothing_is_installed_when_everything_is_there(tmp_path):
    done = _ensure(tmp_path, "stale", root=None)
    assert done.returncode == 0, done.stderr
    assert _calls(tmp_path) == []


def test_each_missing_package_is_installed(tmp_path):
    done = _ensure(tmp_path, "fresh", root=tmp_path / "empty")
    assert done.returncode == 0, done.stderr
    assert _calls(tmp_path) == [f"install -y -q {p}" for p in PACKAGES]


def test_stale_package_lists_are_updated_then_the_install_retried(tmp_path):
    done = _ensure(tmp_path, "stale", root=tmp_path / "empty")
    assert done.returncode == 0, done.stderr
    first, *rest = [f"install -y -q {p}" for p in PACKAGES]
    assert _calls(tmp_path) == [first, "update -q", first, *rest]


def test_a_package_that_cannot_be_installed_is_named(tmp_path):
    done = _ensure(tmp_path, "broken", root=tmp_path / "empty")
    assert done.returncode == 1
    assert "could not install chromium" in done.stderr
    assert "apt-get install chromium" in done.stderr
