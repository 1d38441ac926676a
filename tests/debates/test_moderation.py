"""Contributions, arguments and sources under the moderation contract: masked before storage,
one item each, reported, queued, hidden with a public reason shown in the trash."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ecoute.debates import actions
from ecoute.debates.models import Argument, Contribution, Source
from ecoute.moderation.models import MaskedText, ModerationItem, ModerationState, Report

pytestmark = pytest.mark.django_db


def item_of(row):
    return ModerationItem.objects.get(
        content_type=ContentType.objects.get_for_model(row), object_id=row.pk
    )


def test_each_write_makes_a_published_item_and_keeps_originals_for_moderators(usager, section):
    contribution = actions.propose_contribution(
        author=usager, section=section, title="Concours", body="Appelez-moi au 06 12 34 56 78"
    )
    assert "06 12 34 56 78" not in contribution.body and contribution.masked_items == 1
    assert item_of(contribution).state == ModerationState.PUBLISHED
    assert MaskedText.objects.get(object_id=contribution.pk, field="body").original.endswith("78")
    argument = actions.add_argument(
        author=usager, contribution=contribution, side="pour", body="Oui"
    )
    source = actions.add_source(
        author=usager, contribution=contribution, url="https://insee.fr", title="Insee"
    )
    assert item_of(argument).kind == "argument-debat"
    assert item_of(source).kind == "source-debat"


@pytest.mark.parametrize("kind", ["contribution", "argument", "source"])
def test_report_queue_hide_trash(client, usager, moderator, section, kind):
    author = usager
    contribution = actions.propose_contribution(
        author=author, section=section, title="Une contribution à masquer", body="Texte"
    )
    target = {
        "contribution": contribution,
        "argument": lambda: actions.add_argument(
            author=author, contribution=contribution, side="contre", body="Un argument hors sujet"
        ),
        "source": lambda: actions.add_source(
            author=author, contribution=contribution, url="https://spam.example", title="Spam"
        ),
    }[kind]
    target = target if kind == "contribution" else target()
    key = {
        "contribution": "contribution-debat",
        "argument": "argument-debat",
        "source": "source-debat",
    }[kind]

    # A signed-in visitor reports it from the page's link.
    page = client.get(contribution.get_absolute_url()).content.decode()
    report_url = reverse("moderation:report", args=[key, target.pk])
    assert report_url in page
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(report_url, {"reason": "off_topic", "comment": "Sans rapport."})
    assert response.status_code == 302
    assert Report.objects.filter(object_id=target.pk).count() == 1
    assert item_of(target).awaiting

    # The moderator sees it in the queue and hides it with a reason.
    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    item = item_of(target)
    assert f"/moderation/elements/{item.pk}/" in queue
    response = client.post(
        reverse("moderation:decide"),
        {
            "items": [item.pk],
            "decision": "hide",
            "reason": "Hors sujet : sans rapport avec le débat",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.visibility == "hidden"

    # The public trash shows its title and reason, never its text.
    client.logout()
    trash = client.get(reverse("moderation:trash")).content.decode()
    assert "Hors sujet : sans rapport avec le débat" in trash
    page = client.get(contribution.get_absolute_url())
    if kind == "contribution":
        assert page.status_code == 404
    else:
        contribution.refresh_from_db()
        assert target.body if kind == "argument" else True
        assert (contribution.arguments_count, contribution.sources_count) == (0, 0)
        text = page.content.decode()
        assert "Un argument hors sujet" not in text and "spam.example" not in text


def test_restore_counts_again(moderator, usager, contribution):
    from ecoute.moderation import actions as moderation

    argument = actions.add_argument(
        author=usager, contribution=contribution, side="pour", body="Oui"
    )
    moderation.hide(actor=moderator, target=argument, reason="Injurieux")
    contribution.refresh_from_db()
    assert contribution.arguments_count == 0
    moderation.restore(actor=moderator, target=Argument.objects.get(pk=argument.pk))
    contribution.refresh_from_db()
    assert contribution.arguments_count == 1
    assert Contribution.objects.count() == 1 and Source.objects.count() == 0
