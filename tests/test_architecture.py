"""The allowed dependencies between apps (ARCHITECTURE.md), checked on every import."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "ecoute"
ALLOWED = {
    "common": set(),
    "accounts": {"common"},
    "territories": {"common"},
    "catalogue": {"accounts", "territories", "common"},
    "moderation": {"accounts", "common"},
    "experiences": {"accounts", "territories", "catalogue", "moderation", "common"},
    "documents": {"accounts", "catalogue", "moderation", "common"},
    "follows": {"accounts", "catalogue", "experiences", "common"},
    "resources": {"accounts", "territories", "catalogue", "common"},
    "answering": {"accounts", "catalogue", "experiences", "analysis", "common"},
    "analysis": {"common"},
    "remontees": {"accounts", "catalogue", "moderation", "demarches", "common"},
    "demarches": {"accounts", "catalogue", "moderation", "common"},
    "policies": {"territories", "common"},
    "inbox": {
        "accounts",
        "catalogue",
        "experiences",
        "answering",
        "moderation",
        "documents",
        "common",
    },
    "france_services": {"catalogue", "territories", "common"},
    "indicators": {"accounts", "territories", "catalogue", "experiences", "policies", "common"},
    "barometre": {"accounts", "territories", "catalogue", "indicators", "common"},
    "consultations": {"accounts", "territories", "catalogue", "common"},
    "questionnaires": {
        "accounts",
        "territories",
        "catalogue",
        "consultations",
        "moderation",
        "analysis",
        "common",
    },
    "debates": {
        "accounts",
        "territories",
        "catalogue",
        "consultations",
        "moderation",
        "analysis",
        "common",
    },
    "demo": {
        "accounts",
        "territories",
        "catalogue",
        "moderation",
        "experiences",
        "documents",
        "follows",
        "remontees",
        "resources",
        "answering",
        "inbox",
        "france_services",
        "demarches",
        "policies",
        "indicators",
        "barometre",
        "consultations",
        "questionnaires",
        "debates",
        "common",
    },
    "ui": {
        "accounts",
        "territories",
        "catalogue",
        "moderation",
        "experiences",
        "documents",
        "follows",
        "remontees",
        "resources",
        "answering",
        "inbox",
        "france_services",
        "demarches",
        "policies",
        "indicators",
        "barometre",
        "consultations",
        "questionnaires",
        "debates",
        "common",
    },
}


def absolute_module(package: str, level: int, module: str | None) -> str:
    """The absolute name `from <level dots><module> import ...` refers to inside `package`."""
    if level == 0:
        return module or ""
    parts = package.split(".")
    if level > len(parts):
        raise ImportError(f"relative import beyond the top-level package from {package}")
    return ".".join(parts[: len(parts) - level + 1] + ([module] if module else []))


def imported_apps_in(source: str, package: str) -> set[str]:
    """The `ecoute` apps a module of `package` imports, absolute and relative imports alike."""
    apps = set()
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = absolute_module(package, node.level, node.module)
            # `from .. import catalogue` names the app in the alias, not in `module`.
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for name in names:
            parts = name.split(".")
            if parts[0] == "ecoute" and len(parts) > 1:
                apps.add(parts[1])
    return apps


def imported_apps(path: Path) -> set[str]:
    # A module's package is its folder, `__init__.py` included (it is the package itself).
    package = ".".join(path.relative_to(ROOT.parent).parts[:-1])
    return imported_apps_in(path.read_text(encoding="utf-8"), package)


@pytest.mark.parametrize(
    ("package", "level", "module", "expected"),
    [
        ("ecoute.experiences", 0, "ecoute.catalogue.models", "ecoute.catalogue.models"),
        ("ecoute.experiences", 1, "models", "ecoute.experiences.models"),
        ("ecoute.experiences", 1, None, "ecoute.experiences"),
        ("ecoute.experiences", 2, "catalogue", "ecoute.catalogue"),
        ("ecoute.experiences", 2, None, "ecoute"),
        (
            "ecoute.experiences.management.commands",
            4,
            "catalogue.models",
            "ecoute.catalogue.models",
        ),
    ],
)
def test_relative_imports_resolve_against_the_package(package, level, module, expected):
    assert absolute_module(package, level, module) == expected


def test_relative_import_above_the_top_package_is_refused():
    with pytest.raises(ImportError):
        absolute_module("ecoute.experiences", 3, "x")


def test_relative_imports_cannot_escape_the_check():
    source = (
        "from ..catalogue import models\n"
        "from .. import moderation\n"
        "from . import views\n"
        "from .forms import TellForm\n"
        "import ecoute.accounts.models\n"
        "from ecoute import territories\n"
        "from django.db import models\n"
    )
    assert imported_apps_in(source, "ecoute.experiences") == {
        "catalogue",
        "moderation",
        "experiences",
        "accounts",
        "territories",
    }


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


# Templates and URL names follow the same direction: an app's templates and code may name
# another app's templates ({% include %}, {% extends %}, render()) and URL namespaces
# ({% url %}, reverse(), redirect()) only if it may import that app.
NAMESPACE_APP = {"engagements": "catalogue", "franceconnect": "accounts"}
TEMPLATE_TAG = re.compile(r"""\{%\s*(?:include|extends)\s+["']([a-z_]+)/""")
URL_TAG = re.compile(r"""\{%\s*url\s+["']([a-z_]+):""")
PY_URL = re.compile(r"""(?:reverse|redirect|reverse_lazy)\(\s*["']([a-z_]+):""")
PY_TEMPLATE = re.compile(r"""["']([a-z_]+)/[\w/]+\.(?:html|txt)""")


def named_apps(text: str, patterns: list[re.Pattern[str]]) -> set[str]:
    return {NAMESPACE_APP.get(m, m) for p in patterns for m in p.findall(text)} & set(ALLOWED)


def test_named_apps_are_found_in_templates_and_code():
    template = "{% include 'ui/_pagination.html' %}{% url \"moderation:queue\" %}"
    assert named_apps(template, [TEMPLATE_TAG, URL_TAG]) == {"ui", "moderation"}
    code = (
        'reverse("experiences:list"); redirect("engagements:list"); render(r, "documents/x.html")'
    )
    assert named_apps(code, [PY_URL, PY_TEMPLATE]) == {"experiences", "catalogue", "documents"}


# Found when this check was added (issue 8); each is a page linking "upwards". To fix by moving
# the link to the app allowed to know both (ui), not by adding to this list.
KNOWN_UPWARD_LINKS = {
    "catalogue/models.py": {"experiences"},  # ContactPoint.get_absolute_url
    "documents/views.py": {"inbox"},  # breadcrumb to the agent inbox
    "experiences/templates/experiences/contact_point.html": {"documents", "follows"},
    "experiences/templates/experiences/detail.html": {"follows"},
}


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_templates_and_url_names_respect_the_dependencies(app):
    # ui holds the base templates and shared partials every app uses.
    allowed = ALLOWED[app] | {app, "ui"}
    offending = {}
    for path in (ROOT / app).rglob("*"):
        if path.suffix in {".html", ".txt"}:
            found = named_apps(path.read_text(encoding="utf-8"), [TEMPLATE_TAG, URL_TAG])
        elif path.suffix == ".py" and "migrations" not in path.parts:
            found = named_apps(path.read_text(encoding="utf-8"), [PY_URL, PY_TEMPLATE])
        else:
            continue
        name = str(path.relative_to(ROOT))
        extra = found - allowed - KNOWN_UPWARD_LINKS.get(name, set())
        if extra:
            offending[name] = sorted(extra)
    assert offending == {}, f"{app} names templates or URLs of apps it may not: {offending}"
