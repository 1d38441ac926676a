"""HEAD works wherever GET does, on every URL of the site (views use `require_safe`)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from tests.factories import AgentMembershipFactory, ExperienceFactory, UserFactory

pytestmark = pytest.mark.django_db

# The admin is Django's own (class-based views answer HEAD); its entry points are checked.
ADMIN_NAMES = {"admin:index", "admin:login"}


def named_patterns(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += named_patterns(pattern.url_patterns, prefix)
        elif pattern.name:
            found.append((f"{namespace}{pattern.name}", pattern))
    return found


URL_PATTERNS = {
    name: pattern
    for name, pattern in named_patterns(get_resolver().url_patterns)
    if not name.startswith("admin:") or name in ADMIN_NAMES
}


@pytest.fixture
def site():
    """A published experience with its agent, and a superuser who is also moderator and agent."""
    experience = ExperienceFactory(published=True)
    organisation = experience.contact_point.organisation
    AgentMembershipFactory(organisation=organisation)
    boss = UserFactory(moderator=True, is_staff=True, is_superuser=True)
    AgentMembershipFactory(user=boss, organisation=organisation)
    return {"experience": experience, "user": boss}


def url_for(name: str, site: dict) -> str:
    """The URL of `name` with real objects where the route names one, a placeholder elsewhere."""
    pattern = URL_PATTERNS[name]
    real = {
        "experiences:contact_point": site["experience"].contact_point.pk,
        "experiences:tell": site["experience"].contact_point.pk,
        "ui:page": "charte",
    }
    kwargs = {}
    for key, converter in getattr(pattern.pattern, "converters", {}).items():
        if name in real:
            kwargs[key] = real[name]
        elif isinstance(converter, IntConverter):
            kwargs[key] = site["experience"].pk
        else:
            kwargs[key] = "x"
    return reverse(name, kwargs=kwargs)


def test_the_site_pages_are_all_found():
    for name in ["ui:home", "catalogue:search", "experiences:list", "accounts:signup"]:
        assert name in URL_PATTERNS


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "superuser"])
@pytest.mark.parametrize("name", sorted(URL_PATTERNS))
def test_head_answers_like_get(client, site, name, signed_in):
    if signed_in:
        client.force_login(site["user"])
    url = url_for(name, site)
    get = client.get(url)
    if get.status_code == 405:
        assert client.head(url).status_code == 405, "HEAD allowed where GET is not"
        return
    head = client.head(url)
    assert head.status_code == get.status_code, f"HEAD {url}: {head.status_code}"
    assert head.get("Content-Type") == get.get("Content-Type")
    assert head.content == b""
