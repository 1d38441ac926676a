"""Import a Decidim open-data export as a closed consultation (data/consultation-decidim-mel:
the Grand Débat National 2019 of the Métropole Européenne de Lille, SOURCE.md there).

- `debats.csv`: each official question becomes a contribution of the organiser in the
  "Débats" section (theme as category);
- `commentaires_debats.csv`: each comment becomes an argument of its debate: alignment 1 →
  pour, -1 → contre, 0 → "sans position" (listed under the two columns: 574 of the 693
  comments are neutral, and dropping or forcing them into a side would misrepresent them).
  Replies (depth ≥ 1) are attached to the debate their thread belongs to, with their own
  alignment;
- `propositions-libres.csv`: each free proposal becomes a contribution of the "Propositions
  libres" section with its category; its supports are kept as "pour" counts (votes_for =
  votes_total), since the voters are unknown. The proposals' comments are not in the export.

Citizens' names and platform ids are never read into the database: imported items show
"Participant·e (import Decidim)". Texts are masked (moderation.masking) before storage.
Idempotent: every row has a `source_key` ("decidim-mel:<kind>:<id>"); a second run updates in
place. Bad rows are reported with their line number and skipped."""

from __future__ import annotations

import csv
import datetime as dt
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from ecoute.consultations.actions import refresh_dates
from ecoute.consultations.models import Audience, Consultation, Phase, PhaseKind
from ecoute.moderation import actions as moderation
from ecoute.moderation.masking import mask_many
from ecoute.territories.models import Departement

from .models import Argument, Contribution, Contributors, Section, SectionKind, Side, Visibility

PREFIX = "decidim-mel"
FOLDER = "consultation-decidim-mel"
ALIGNMENT = {"1": Side.FOR, "-1": Side.AGAINST, "0": Side.NEUTRAL}
DEBATE = "Decidim::Debates::Debate"
COMMENT = "Decidim::Comments::Comment"
TAG = re.compile(r"<[^>]+>")


@dataclass
class ImportReport:
    debates: int = 0
    arguments: int = 0
    proposals: int = 0
    supports: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.debates} débats, {self.arguments} commentaires (arguments), "
            f"{self.proposals} propositions ({self.supports} soutiens), "
            f"{len(self.problems)} ligne(s) écartée(s)"
        )


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number of the record's first line, row) — records may span lines."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        start = reader.line_num + 1
        for row in reader:
            yield start, row
            start = reader.line_num + 1


def _date(value: str) -> dt.datetime:
    return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S %z")


def _plain(value: str) -> str:
    return html.unescape(TAG.sub(" ", value)).replace("\xa0", " ").strip()


def _consultation(first: dt.date, last: dt.date) -> Consultation:
    consultation, _created = Consultation.objects.update_or_create(
        source_key=f"{PREFIX}:granddebatmel",
        defaults={
            "slug": "grand-debat-metropole-europeenne-de-lille-2019",
            "title": "Grand Débat National 2019 — Métropole Européenne de Lille",
            "summary": "Les 29 questions du Grand Débat ouvertes en débats, les réponses "
            "des participants et leurs propositions libres (import Decidim).",
            "presentation": "Consultation locale menée de janvier à mars 2019 sur la plateforme "
            "Decidim participation.lillemetropole.fr (processus « granddebatmel »), sur les "
            "quatre thèmes du Grand Débat National. Importée depuis l'export open data de la "
            "plateforme : les noms des participants ne sont pas repris.",
            "audience": Audience.ALL,
            "organiser_name": "Métropole Européenne de Lille",
            "is_imported": True,
            "published_at": dt.datetime.combine(first, dt.time(9), tzinfo=dt.UTC),
        },
    )
    nord = Departement.objects.filter(code="59").first()
    if nord is not None:
        consultation.is_national = False
        consultation.save(update_fields=["is_national"])
        consultation.departements.set([nord])
    Phase.objects.update_or_create(
        consultation=consultation,
        kind=PhaseKind.PARTICIPATION,
        defaults={"title": "Grand Débat en ligne", "starts_on": first, "ends_on": last},
    )
    refresh_dates(consultation=consultation)
    return consultation


def _section(consultation: Consultation, key: str, **values: Any) -> Section:
    section, _created = Section.objects.update_or_create(
        source_key=f"{PREFIX}:section:{key}", defaults={"consultation": consultation, **values}
    )
    return section


def _store(model: type[Contribution] | type[Argument], key: str, values: dict[str, Any]) -> Any:
    created_at = values.pop("created_at")
    row, _created = model.objects.update_or_create(
        source_key=key,
        defaults={
            **values,
            "is_imported": True,
            "visibility": Visibility.PUBLISHED,
            "published_at": created_at,
        },
    )
    model.objects.filter(pk=row.pk).update(created_at=created_at)
    return row


@transaction.atomic
def import_decidim(folder: Path) -> ImportReport:
    report = ImportReport()
    debates = list(_rows(folder / "debats.csv"))
    comments = list(_rows(folder / "commentaires_debats.csv"))
    proposals = list(_rows(folder / "propositions-libres.csv"))

    def bad(file: str, line: int, why: str) -> None:
        report.problems.append(f"{file}, ligne {line} : {why}")

    dates: list[dt.datetime] = []
    for file, rows in (("debats.csv", debates), ("commentaires_debats.csv", comments),
                       ("propositions-libres.csv", proposals)):  # fmt: skip
        for line, row in rows:
            try:
                dates.append(_date(row.get("created_at") or ""))
            except ValueError:
                bad(file, line, "date illisible")
    if not dates:
        return report
    consultation = _consultation(min(dates).date(), max(dates).date())
    debates_section = _section(
        consultation,
        "debats",
        kind=SectionKind.DEBATE,
        title="Débats",
        slug="debats",
        description="Les questions du Grand Débat posées par la Métropole ; les réponses des "
        "participants sont classées pour, contre ou sans position comme sur Decidim.",
        order=1,
        contributors=Contributors.ORGANISERS,
        votes_allowed=False,
        arguments_allowed=True,
    )
    proposals_section = _section(
        consultation,
        "propositions",
        kind=SectionKind.PROPOSALS,
        title="Propositions libres",
        slug="propositions-libres",
        description="Les propositions des participants et leurs soutiens.",
        order=2,
        contributors=Contributors.PARTICIPANTS,
        votes_allowed=True,
        arguments_allowed=False,
    )

    # Debates: the organiser's questions.
    by_debate: dict[str, Contribution] = {}
    good_debates = []
    for line, row in debates:
        if not row.get("id", "").strip().isdigit() or not row.get("title/fr", "").strip():
            bad("debats.csv", line, "identifiant ou question manquant")
            continue
        try:
            created = _date(row["created_at"])
        except ValueError:
            continue
        good_debates.append((row, created))
    debate_texts = mask_many(row["title/fr"].strip()[:200] for row, _c in good_debates)
    for (row, created), title in zip(good_debates, debate_texts, strict=True):
        theme = _plain(row.get("description/fr", ""))
        by_debate[row["id"].strip()] = _store(
            Contribution,
            f"{PREFIX}:debate:{row['id'].strip()}",
            {
                "section": debates_section,
                "author": None,
                "title": title.text,
                "body": f"Thème : {theme}" if theme else title.text,
                "category": theme[:120],
                "by_organiser": True,
                "masked_items": title.count,
                "created_at": created,
            },
        )
        report.debates += 1

    # Comments: arguments of the debate their thread starts from.
    parent: dict[str, tuple[str, str]] = {}
    for _line, row in comments:
        parent[row.get("id", "").strip()] = (
            row.get("commentable_type", "").strip(),
            row.get("commentable_id", "").strip(),
        )

    def root_debate(comment_id: str) -> str | None:
        seen: set[str] = set()
        kind, target = parent.get(comment_id, ("", ""))
        while kind == COMMENT and target not in seen:
            seen.add(target)
            kind, target = parent.get(target, ("", ""))
        return target if kind == DEBATE else None

    good_comments = []
    for line, row in comments:
        comment_id = row.get("id", "").strip()
        side = ALIGNMENT.get(row.get("alignment", "").strip())
        debate = by_debate.get(root_debate(comment_id) or "")
        body = (row.get("body") or "").strip()
        if not comment_id.isdigit() or side is None:
            bad("commentaires_debats.csv", line, "identifiant ou alignement invalide")
        elif debate is None:
            bad("commentaires_debats.csv", line, "débat inconnu")
        elif not body:
            bad("commentaires_debats.csv", line, "commentaire vide")
        else:
            try:
                good_comments.append((comment_id, side, debate, body, _date(row["created_at"])))
            except ValueError:
                continue
    masked = mask_many(body for _i, _s, _d, body, _c in good_comments)
    for (comment_id, side, debate, _body, created), text in zip(good_comments, masked, strict=True):
        _store(
            Argument,
            f"{PREFIX}:comment:{comment_id}",
            {
                "contribution": debate,
                "author": None,
                "side": side,
                "body": text.text[:2000],
                "masked_items": min(text.count, 32767),
                "created_at": created,
            },
        )
        report.arguments += 1

    # Free proposals with their supports.
    good_proposals = []
    for line, row in proposals:
        proposal_id = row.get("id", "").strip()
        votes = row.get("votes", "").strip()
        if not proposal_id.isdigit() or not row.get("title", "").strip():
            bad("propositions-libres.csv", line, "identifiant ou titre manquant")
        elif not votes.isdigit():
            bad("propositions-libres.csv", line, f"soutiens illisibles : {votes!r}")
        else:
            try:
                good_proposals.append((row, int(votes), _date(row["created_at"])))
            except ValueError:
                continue
    masked_proposals = mask_many(
        text
        for row, _v, _c in good_proposals
        for text in (row["title"].strip()[:200], (row.get("body") or "").strip())
    )
    for row, supports, created in good_proposals:
        masked_title, masked_body = next(masked_proposals), next(masked_proposals)
        _store(
            Contribution,
            f"{PREFIX}:proposal:{row['id'].strip()}",
            {
                "section": proposals_section,
                "author": None,
                "title": masked_title.text,
                "body": masked_body.text or masked_title.text,
                "category": (row.get("category/name/fr") or "").strip()[:120],
                "masked_items": min(masked_title.count + masked_body.count, 32767),
                "votes_for": supports,
                "votes_against": 0,
                "votes_mixed": 0,
                "votes_total": supports,
                "created_at": created,
            },
        )
        report.proposals += 1
        report.supports += supports

    # Counters of the debates, then the moderation items of everything new.
    for debate_row in Contribution.objects.filter(section=debates_section).annotate(
        n=Count("arguments", filter=Q(arguments__visibility=Visibility.PUBLISHED))
    ):
        Contribution.objects.filter(pk=debate_row.pk).update(arguments_count=debate_row.n)
    moderation.sync_items(Contribution)
    moderation.sync_items(Argument)
    return report
