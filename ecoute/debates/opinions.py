"""The opinion groups of a consultation's debate votes (ecoute.analysis.opinions, the Pol.is
method): pour = agree (1), contre = disagree (-1), mitigé = pass (0). Computed by the
`compute_debate_opinions` command (a periodic job), stored in `OpinionMap`, read by the results
page: never computed per request. No account id is stored: participants are numbered."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ecoute.analysis.opinions import OpinionParams, VoteLog, compute_opinion_groups
from ecoute.consultations.models import Consultation

from .models import OPINION_VALUE, Contribution, OpinionMap, Visibility, Vote, VoteValue

MIN_PARTICIPANTS = 4


def _contribution_row(contribution: Contribution) -> dict[str, Any]:
    return {
        "id": contribution.pk,
        "title": contribution.title,
        "section": contribution.section.title,
        "url": contribution.get_absolute_url(),
    }


@transaction.atomic
def compute_opinions(*, consultation: Consultation) -> OpinionMap | None:
    """Recompute and store the map; None (and the stored map removed) with too few votes."""
    votes = (
        Vote.objects.filter(
            contribution__section__consultation=consultation,
            contribution__visibility=Visibility.PUBLISHED,
        )
        .order_by("updated_at", "id")
        .values_list("user_id", "contribution_id", "value")
    )
    records = [
        (str(user), str(contribution), OPINION_VALUE[VoteValue(value)])
        for user, contribution, value in votes.iterator()
    ]
    participants = {user for user, _c, _v in records}
    if len(participants) < MIN_PARTICIPANTS or len({c for _u, c, _v in records}) < 2:
        OpinionMap.objects.filter(consultation=consultation).delete()
        return None
    result = compute_opinion_groups(VoteLog.from_records(records), OpinionParams(seed=0))
    ids = {int(cid) for cid in result.comment_ids}
    contributions = {
        c.pk: c
        for c in Contribution.objects.filter(pk__in=ids).select_related("section__consultation")
    }
    # Participants are renumbered in the order of the projection: no account id is stored.
    points = [
        [round(float(x), 4), round(float(y), 4), int(label)]
        for (x, y), label in zip(result.projection, result.labels, strict=True)
    ]
    groups = []
    for group in result.groups:
        representative = []
        for item in group["representative"]:
            contribution = contributions.get(int(item["comment_id"]))
            if contribution is None:
                continue
            representative.append(
                {
                    **_contribution_row(contribution),
                    "agrees": item["repful_for"] == "agree",
                    "share": round(item["p_success"], 3),
                }
            )
        groups.append({"size": group["size"], "representative": representative})
    consensus = []
    for item in result.consensus:
        contribution = contributions.get(int(item["comment_id"]))
        if contribution is not None:
            consensus.append(
                {
                    **_contribution_row(contribution),
                    "score": round(item["group_aware_consensus"], 3),
                }
            )
    opinion_map, _created = OpinionMap.objects.update_or_create(
        consultation=consultation,
        defaults={
            "computed_at": timezone.now(),
            "participants": len(participants),
            "votes": len(records),
            "data": {"points": points, "groups": groups, "consensus": consensus},
        },
    )
    return opinion_map
