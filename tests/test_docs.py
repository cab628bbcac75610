"""The repository's own documentation: the API guide (docs/API.md) names exactly the operations
of /api/v1/openapi.json, so neither can drift from the other; no file points outside the
repository; the migrations' file order is their chain's order."""

import re
import subprocess
from pathlib import Path

from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "API.md"
SECOND_WAVE = "# Additions, second wave"
EXTRA = "## Also in the OpenAPI document"
OPERATION = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE) (/[\w{}\-./]*[\w}])")


def _shape(path: str) -> str:
    """A path with its parameters unnamed: /classes/{id} and /classes/{class_id} are one."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def _named(text: str) -> set[tuple[str, str]]:
    return {(method, _shape(path)) for method, path in OPERATION.findall(text)}


def _operations(api) -> set[tuple[str, str]]:
    document = api.get("/openapi.json").json
    return {
        (method.upper(), _shape(path.removeprefix("/api/v1")))
        for path, operations in document["paths"].items()
        for method in operations
        if method != "parameters"
    }


def test_every_operation_the_guide_names_exists(api):
    """The second wave's operations are checked once built (they are being added)."""
    guide = GUIDE.read_text()
    first_wave, rest = guide.split(SECOND_WAVE)
    extra = rest.split(EXTRA)[1]
    missing = _named(first_wave + extra) - _operations(api)
    assert not missing, f"docs/API.md names operations the API does not have: {sorted(missing)}"


def test_every_operation_is_in_the_guide(api):
    missing = _operations(api) - _named(GUIDE.read_text())
    assert not missing, f"add to docs/API.md ({EXTRA!r}): {sorted(missing)}"


def test_no_file_points_outside_the_repository():
    pattern = r"shared/|/work/|\.\./\.\./\.\./|seed/000_"
    found = subprocess.run(
        ["git", "grep", "-n", "-E", pattern, "--", ".", ":!tests/test_docs.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert found == "", found


def test_migration_files_are_in_chain_order():
    """File names sort in the order `flask db upgrade` applies them (one head, no branch)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(ROOT / "migrations"))
    assert len(scripts.get_heads()) == 1, scripts.get_heads()
    chain = [Path(r.path).name for r in reversed(list(scripts.walk_revisions()))]
    assert chain == sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
