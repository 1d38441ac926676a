"""Demo debates: the Forum de l'action publique's consultation "Faire en sorte que la fonction
publique soit plus à l'image de la société" (2018), OPEN in the demo so that the demo usager can
propose, vote and argue, with its three sections and the organiser's pinned items; generated
participants' contributions and votes (marked generated) so that the opinion groups show
something; and the real Decidim import of the Grand Débat 2019 (MEL), closed.

The 2018 wording of the sections could not be found: the texts are reconstructed in the
spirit of the consultation and say so. Idempotent (`source_key` "demo:…")."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ecoute.accounts.models import User
from ecoute.consultations.actions import refresh_dates
from ecoute.consultations.models import Audience, Consultation, Phase, PhaseKind
from ecoute.debates import actions
from ecoute.debates.importers import FOLDER, ImportReport, import_decidim
from ecoute.debates.models import Contribution, Contributors, Section, SectionKind, Vote
from ecoute.debates.opinions import compute_opinions

KEY = "demo:fap-fonction-publique-a-l-image-de-la-societe"
RECONSTRUCTED = (
    "Texte reconstitué dans l'esprit de la consultation du Forum de l'action publique "
    "(novembre 2017 – mars 2018) : sa formulation d'origine n'a pas été retrouvée."
)
GENERATED_NOTE = "Exemple généré pour la démo."
SECTIONS = [
    (
        "problematique",
        SectionKind.PROBLEM,
        "Problématique",
        "Le constat posé par l'organisateur : en quoi la fonction publique ne ressemble-t-elle "
        "pas encore à la société qu'elle sert ? Votez et argumentez.",
        Contributors.ORGANISERS,
    ),
    (
        "facteurs-d-explication",
        SectionKind.FACTORS,
        "Facteurs d'explication",
        "Selon vous, qu'est-ce qui explique ces écarts ? Proposez un facteur, votez sur ceux "
        "des autres.",
        Contributors.PARTICIPANTS,
    ),
    (
        "propositions",
        SectionKind.PROPOSALS,
        "Propositions",
        "Que faire pour que les agents publics soient plus à l'image de la société ? "
        "L'organisateur répondra aux propositions : retenue, à l'étude ou non retenue.",
        Contributors.PARTICIPANTS,
    ),
]
PINNED = {
    "problematique": (
        "Une fonction publique encore peu représentative",
        "Les 5,6 millions d'agents publics servent toute la population, mais certains profils "
        "restent rares dans l'encadrement et les concours les plus sélectifs : origine sociale, "
        "territoire d'origine, handicap, parité aux postes de direction. " + RECONSTRUCTED,
    ),
    "facteurs-d-explication": (
        "Ce que nous savons déjà des écarts",
        "Les études de la DGAFP et de France Stratégie pointent la préparation aux concours, "
        "l'information sur les métiers et la mobilité géographique. Complétez ! " + RECONSTRUCTED,
    ),
    "propositions": (
        "Comment nous répondrons à vos propositions",
        "Chaque proposition recevra une réponse de l'organisateur avec sa suite : retenue, à "
        "l'étude ou non retenue. " + RECONSTRUCTED,
    ),
}
GENERATED = [
    ("facteurs-d-explication", "a", "Les concours valorisent une culture scolaire"),
    ("facteurs-d-explication", "b", "Les métiers publics sont mal connus des jeunes"),
    ("facteurs-d-explication", "a", "La préparation aux concours coûte cher"),
    ("facteurs-d-explication", "c", "Les premiers postes sont loin de chez soi"),
    ("propositions", "a", "Des classes préparatoires intégrées dans chaque région"),
    ("propositions", "b", "Des stages de troisième dans tous les services publics"),
    ("propositions", "a", "Des jurys de concours formés à la non-discrimination"),
    ("propositions", "b", "Supprimer l'épreuve de culture générale"),
    ("propositions", "c", "Publier chaque année des statistiques sur la diversité des agents"),
    ("propositions", "b", "Recruter davantage par apprentissage"),
]
PARTICIPANTS = 24


def _stable(*parts: object) -> int:
    return hashlib.sha256(":".join(map(str, parts)).encode()).digest()[0]


def _participant(number: int, password: str) -> User:
    user, created = User.objects.get_or_create(
        username=f"participant-genere-{number:02}",
        defaults={
            "email": f"participant-genere-{number:02}@ecoute.demo",
            "email_confirmed_at": timezone.now(),
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _contribution(
    key: str, *, author: User, section: Section, title: str, body: str
) -> Contribution:
    existing = Contribution.objects.filter(source_key=key).first()
    if existing is not None:
        return existing
    contribution = actions.propose_contribution(
        author=author, section=section, title=title, body=body
    )
    Contribution.objects.filter(pk=contribution.pk).update(source_key=key)
    contribution.source_key = key
    return contribution


def _vote_for(camp: int, kind: str, voter: int, key: str) -> str:
    """Two camps that disagree on the "a" and "b" items and agree on the "c" ones."""
    noise = _stable(voter, key)
    if noise < 25:
        return "mitige"
    if kind == "c":
        return "pour" if noise > 50 else "contre"
    agree = (kind == "a") == (camp == 0)
    if noise < 45:  # a little dissent in each camp
        agree = not agree
    return "pour" if agree else "contre"


def load_demo_debates(*, organiser: User, password: str) -> str:
    today = timezone.localdate()
    consultation, _created = Consultation.objects.update_or_create(
        source_key=KEY,
        defaults={
            "slug": "fonction-publique-a-l-image-de-la-societe",
            "title": "Faire en sorte que la fonction publique soit plus à l'image de la société",
            "summary": "Consultation du Forum de l'action publique (2018) : le constat, ses "
            "explications et vos propositions.",
            "presentation": "Le Forum de l'action publique a consulté agents et usagers du "
            "24 novembre 2017 au 9 mars 2018 sur l'avenir des services publics. Cette "
            "consultation en reprend l'un des thèmes, ouverte ici pour la démonstration. "
            + RECONSTRUCTED,
            "audience": Audience.ALL,
            "organiser_name": "Ministère de l'Action et des Comptes publics (démonstration)",
            "published_at": timezone.now(),
        },
    )
    Phase.objects.update_or_create(
        consultation=consultation,
        kind=PhaseKind.PARTICIPATION,
        defaults={
            "title": "Contributions, votes et arguments",
            "starts_on": today - dt.timedelta(days=20),
            "ends_on": today + dt.timedelta(days=60),
        },
    )
    refresh_dates(consultation=consultation)
    sections = {}
    for order, (slug, kind, title, description, contributors) in enumerate(SECTIONS, start=1):
        sections[slug], _created = Section.objects.update_or_create(
            source_key=f"{KEY}:{slug}",
            defaults={
                "consultation": consultation,
                "slug": slug,
                "kind": kind,
                "title": title,
                "description": description,
                "order": order,
                "contributors": contributors,
            },
        )
    for slug, (title, body) in PINNED.items():
        pinned = _contribution(
            f"{KEY}:pinned:{slug}", author=organiser, section=sections[slug], title=title, body=body
        )
        actions.pin_contribution(actor=organiser, contribution=pinned, pinned=True)

    participants = [_participant(n, password) for n in range(1, PARTICIPANTS + 1)]
    items: list[tuple[str, Contribution]] = []
    for index, (slug, camp, title) in enumerate(GENERATED):
        author = participants[index % PARTICIPANTS]
        contribution = _contribution(
            f"{KEY}:generated:{index}",
            author=author,
            section=sections[slug],
            title=title,
            body=f"{title}. {GENERATED_NOTE}",
        )
        items.append((camp, contribution))
    Contribution.objects.filter(source_key__startswith=f"{KEY}:generated:").update(
        is_generated=True
    )
    if not Vote.objects.filter(contribution__section__consultation=consultation).exists():
        for number, voter in enumerate(participants):
            for camp, contribution in items:
                value = _vote_for(number % 2, camp, number, contribution.source_key or "")
                actions.cast_vote(actor=voter, contribution=contribution, value=value)
        Vote.objects.filter(user__in=participants).update(is_generated=True)
        first = items[4][1]
        actions.add_argument(
            author=participants[1],
            contribution=first,
            side="pour",
            body="Les classes préparatoires intégrées ont fait leurs preuves. " + GENERATED_NOTE,
        )
        actions.add_argument(
            author=participants[2],
            contribution=first,
            side="contre",
            body="Mieux vaut financer les préparations existantes. " + GENERATED_NOTE,
        )
        actions.answer_contribution(
            actor=organiser,
            contribution=items[9][1],
            status="a-l-etude",
            answer="L'apprentissage dans la fonction publique fait l'objet d'un plan de "
            "développement ; la proposition est étudiée avec les employeurs publics. "
            + GENERATED_NOTE,
        )
    opinion_map = compute_opinions(consultation=consultation)
    groups = len(opinion_map.data["groups"]) if opinion_map else 0
    report: ImportReport = import_decidim(Path(settings.ECOUTE_DATA_DIR) / FOLDER)
    return (
        f"Débats : « {consultation.title} » ouverte ({len(items)} contributions et "
        f"{len(items) * PARTICIPANTS} votes générés, {groups} groupes d'opinion) ; "
        f"import Decidim : {report.summary()}"
    )
