"""The plan du site, read from the URL configuration so that it cannot drift.

Every named URL without a parameter is a page of the plan, except the admin, the pages listed
in NOT_PUBLIC (tests check that each of those refuses an anonymous visitor) and the steps of a
flow in FLOW_STEPS (reached only after a form; tests check they do not fail). A new page
appears on its own; give it a label in LABELS (a test fails until it has one).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Pages an anonymous visitor cannot open (or that are actions, not pages), with the reason.
NOT_PUBLIC: dict[str, str] = {
    "set_language": "POST only: the header's language button",
    "accounts:logout": "POST only: the header's logout button",
    "accounts:profile": "signed-in users only",
    "experiences:moderation_queue": "moderators only",
    "inbox:inbox": "agents only",
    "inbox:dashboard": "agents only",
    "inbox:team": "team managers only",
    "moderation:journal": "moderators only",
    "moderation:reports": "a permanent redirect to the queue's reported filter (moderators only)",
    "moderation:queue": "moderators only",
    "moderation:decide": "POST only: the queue's decision form (moderators)",
    "documents:moderation_queue": "moderators only",
    "documents:agent_queue": "agents only",
    "documents:mine": "signed-in users only",
    "remontees:list": "agents only",
    "remontees:raise": "agents only",
    "remontees:steering": "managers and steering only",
    "experiences:my_contributions": "signed-in users only",
    "follows:list": "signed-in users only",
    "follows:preferences": "signed-in users only",
    "resources:index": "agents and staff only",
    "resources:modules": "agents and staff only",
    "resources:completion": "agents and staff only",
    "accounts:password_change": "signed-in users only",
    "accounts:change_email": "signed-in users only",
    "accounts:export_data": "signed-in users only",
    "accounts:delete_account": "signed-in users only",
    "franceconnect:login": "a button of the login page, only while FranceConnect is configured",
    "franceconnect:callback": "where FranceConnect sends the browser back after a login",
    "answering:template_list": "agents only",
    "answering:template_create": "agents only",
    "demarches:propose": "signed-in users only (the proposals page links to it)",
    "barometre:manage": "publishers of the barometer only",
    "consultations:mine": "signed-in users only (the consultations list links to it)",
    "barometre:prepare": "POST only: the management page's form (publishers)",
}
# Pages shown in the middle of a flow (after a form was sent), not destinations of their own.
FLOW_STEPS: dict[str, str] = {
    "accounts:signup_done": "after sign-up: check your inbox",
    "accounts:password_reset_done": "after asking for a new password: check your inbox",
    "accounts:password_reset_complete": "after choosing a new password",
}
SKIPPED_NAMESPACES = {"admin"}

# Section of the plan for each namespace, in display order; other namespaces go last.
SECTIONS: dict[str, Promise] = {
    "ui": _("Écoute"),
    "catalogue": _("Trouver un service"),
    "engagements": _("Trouver un service"),
    "france_services": _("Trouver un service"),
    "experiences": _("Expériences"),
    "documents": _("Documents"),
    "demarches": _("Démarches en ligne"),
    "remontees": _("Agents"),
    "consultations": _("Consultations"),
    "policies": _("Résultats"),
    "barometre": _("Résultats"),
    "accounts": _("Votre compte"),
}
OTHER_SECTION = _("Autres pages")

LABELS: dict[str, Promise] = {
    "ui:home": _("Accueil"),
    "ui:help": _("Aide"),
    "ui:terms": _("Conditions d'utilisation"),
    "ui:legal_notice": _("Mentions légales"),
    "ui:personal_data": _("Données personnelles"),
    "ui:accessibility": _("Déclaration d'accessibilité"),
    "ui:sitemap": _("Plan du site"),
    "catalogue:search": _("Trouver un service"),
    "catalogue:nearby": _("Près de chez moi"),
    "france_services:index": _("France services : la carte et le plus proche de chez moi"),
    "france_services:coverage": _("Couverture du territoire par France services"),
    "engagements:list": _("Les engagements de service"),
    "experiences:list": _("Expériences publiées"),
    "documents:list": _("Documents simplifiés par les services"),
    "moderation:trash": _("Corbeille : contributions masquées"),
    "remontees:public": _("Ce que les agents font remonter"),
    "demarches:list": _("Observatoire des démarches en ligne"),
    "demarches:csv": _("Observatoire des démarches en ligne (CSV)"),
    "demarches:proposals": _("Démarches proposées par les usagers"),
    "demarches:moments": _("Les moments de vie"),
    "consultations:list": _("Consultations"),
    "consultations:agenda": _("Agenda des consultations"),
    "consultations:agenda_ics": _("Agenda des consultations (iCalendar)"),
    "policies:index": _("Baromètre des résultats de l'action publique"),
    "barometre:index": _("Baromètre Services Publics +"),
    "indicators:list": _("Les indicateurs des services publics"),
    "indicators:nation": _("Résultats de la France entière"),
    "indicators:transparency": _("Taux de transparence des services publics"),
    "accounts:signup": _("Créer un compte"),
    "accounts:login": _("Se connecter"),
    "accounts:password_reset": _("Mot de passe oublié"),
    "accounts:resend_confirmation": _("Recevoir un nouveau lien de confirmation"),
}


@dataclass(frozen=True)
class SitemapPage:
    name: str  # "namespace:url_name"
    url: str
    label: str | Promise

    @property
    def has_label(self) -> bool:
        return self.name in LABELS


@dataclass
class SitemapSection:
    title: str | Promise
    pages: list[SitemapPage]


def parameterless_url_names() -> list[str]:
    """Every named URL that needs no argument, as "namespace:name", in URLconf order."""
    return list(dict.fromkeys(_walk(get_resolver().url_patterns, namespace=None)))


def _walk(patterns: Iterable[URLPattern | URLResolver], namespace: str | None) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES or _has_parameters(pattern):
                continue
            inner = pattern.namespace or None
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from _walk(pattern.url_patterns, inner or namespace)
        elif pattern.name and not _has_parameters(pattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _has_parameters(pattern: URLPattern | URLResolver) -> bool:
    route = pattern.pattern
    return bool(getattr(route, "converters", None)) or route.regex.groups > 0


def public_pages() -> list[SitemapSection]:
    """The plan du site: public pages grouped by section, sections in SECTIONS order."""
    by_title: dict[str, SitemapSection] = {}
    order = [str(title) for title in dict.fromkeys(SECTIONS.values())]
    for name in parameterless_url_names():
        if name in NOT_PUBLIC or name in FLOW_STEPS:
            continue
        namespace = name.rpartition(":")[0]
        title = SECTIONS.get(namespace, OTHER_SECTION)
        url = reverse(name)
        page = SitemapPage(name=name, url=url, label=LABELS.get(name, url))
        by_title.setdefault(str(title), SitemapSection(title, [])).pages.append(page)
    return sorted(
        by_title.values(),
        key=lambda s: order.index(str(s.title)) if str(s.title) in order else len(order),
    )
