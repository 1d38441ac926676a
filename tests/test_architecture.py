"""The allowed dependencies between apps (ARCHITECTURE.md), checked on every import."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "ecoute"
ALLOWED = {
    "common": set(),
    "accounts": {"common"},
    "territories": {"common"},
    "catalogue": {"accounts", "territories", "common"},
    "moderation": {"common"},
    "experiences": {"accounts", "territories", "catalogue", "moderation", "common"},
    "analysis": {"common"},
    "demo": {"accounts", "territories", "catalogue", "moderation", "experiences", "common"},
    "ui": {"accounts", "territories", "catalogue", "moderation", "experiences", "common"},
}


def imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "ecoute" and len(parts) > 1:
                apps.add(parts[1])
    return apps


def test_every_app_is_declared():
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps == set(ALLOWED)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_what_it_may(app):
    offending = {}
    for path in (ROOT / app).rglob("*.py"):
        extra = imported_apps(path) - ALLOWED[app] - {app}
        if extra:
            offending[str(path.relative_to(ROOT))] = sorted(extra)
    assert offending == {}, f"{app} imports apps it may not: {offending}"
