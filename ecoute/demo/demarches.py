"""Demo démarches: real, well-known online démarches (data/demarches/demarches.csv) with the ten
moments de vie, generated observatory figures (marked `generated`, shown as « données de
démonstration générées »), and generated feedback so that one démarche passes the minimum
number of reviews and others do not. Idempotent (`source_key` "demo:…")."""

import csv
import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from ecoute.accounts.models import User
from ecoute.catalogue.models import Network
from ecoute.demarches import actions
from ecoute.demarches.models import Demarche, Feedback, Help, Indicator, MomentDeVie, Satisfaction
from ecoute.moderation import actions as moderation

GENERATED_MARK = "Exemple généré pour la démo"
GENERATED_SOURCE = "données de démonstration générées"
# Reviews generated per démarche over the last 12 months: the first passes the minimum.
FEEDBACK_VOLUMES = {"declarer-ses-revenus": 140, "prime-d-activite": 120, "demande-de-rsa": 40}
COMMENTS = [
    (Satisfaction.GOOD, "Démarche rapide, les informations de l'an dernier étaient déjà remplies."),
    (Satisfaction.MEDIUM, "Le formulaire est clair mais la page a expiré au moment de valider."),
    (
        Satisfaction.BAD,
        "Impossible de joindre quelqu'un pour une question sur mes revenus saisonniers.",
    ),
]


def _generated(slug: str, salt: str, low: float, high: float) -> float:
    """A stable pseudo-random figure for a démarche (same value at every load)."""
    digest = hashlib.sha256(f"{slug}:{salt}".encode()).digest()
    return low + (high - low) * digest[0] / 255


def load_demo_demarches(*, moderator: User) -> int:
    call_command("load_moments_de_vie", "--prune", verbosity=0)
    path = Path(settings.ECOUTE_DATA_DIR) / "demarches" / "demarches.csv"
    moments = {moment.slug: moment for moment in MomentDeVie.objects.all()}
    networks = {network.slug: network for network in Network.objects.all()}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            demarche, _created = Demarche.objects.update_or_create(
                source_key=f"demo:demarche:{row['slug']}",
                defaults={
                    "slug": row["slug"],
                    "name": row["nom"],
                    "administration": row["administration"],
                    "network": networks.get(row["reseau"]),
                    "url": row["url"],
                    "franceconnect": row["franceconnect"] == "oui",
                    "annual_volume": int(_generated(row["slug"], "volume", 2e5, 3e7)),
                },
            )
            demarche.moments.set([moments[slug] for slug in row["moments"].split()])
            _measurements(demarche)
            _feedback(demarche, moderator)
    return Demarche.objects.filter(source_key__startswith="demo:demarche:").count()


def _measurements(demarche: Demarche) -> None:
    if demarche.measurements.exists():
        return
    measured_on = timezone.localdate().replace(day=1)
    figures = {
        Indicator.RGAA: round(_generated(demarche.slug, "rgaa", 30, 100)),
        Indicator.DLNUF: round(_generated(demarche.slug, "dlnuf", 0, 7)),
        Indicator.HELP: round(_generated(demarche.slug, "aide", 40, 98)),
        Indicator.AVAILABILITY: round(_generated(demarche.slug, "dispo", 98, 100), 2),
    }
    for indicator, value in figures.items():
        actions.record_measurement(
            actor=None,
            demarche=demarche,
            indicator=indicator,
            value=value,
            measured_on=measured_on,
            source=GENERATED_SOURCE,
            generated=True,
        )


def _feedback(demarche: Demarche, moderator: User) -> None:
    volume = FEEDBACK_VOLUMES.get(demarche.slug, 0)
    if not volume or Feedback.objects.filter(demarche=demarche).exists():
        return
    now = timezone.now()
    satisfactions = [Satisfaction.GOOD] * 6 + [Satisfaction.MEDIUM] * 3 + [Satisfaction.BAD]
    helps = [Help.NOT_NEEDED, Help.REACHED, Help.NOT_REACHED, Help.ELSEWHERE, Help.REACHED]
    for index in range(volume):
        satisfaction = satisfactions[index % len(satisfactions)]
        comment = ""
        if index < len(COMMENTS):
            satisfaction, text = COMMENTS[index]
            comment = f"{GENERATED_MARK}. {text}"
        feedback = actions.submit_feedback(
            demarche=demarche,
            satisfaction=satisfaction,
            clarity=1 + (index * 7) % 5,
            help=helps[index % len(helps)],
            comment=comment,
            received_at=now - dt.timedelta(days=(index * 37) % 360, hours=index % 24),
            source_key=f"demo:avis:{demarche.slug}:{index}",
        )
        # The first two comments are published; the third waits in the moderation queue.
        if comment and index < 2:
            moderation.publish(actor=moderator, target=feedback.comment, reason="Démo")
