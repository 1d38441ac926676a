"""Run inside the live server's database by tests/common/test_concurrent_writes.py:
`setup` creates the rows and signed-in sessions and prints them as JSON; `state` prints what
the concurrent requests left behind."""

import json
import sys

import django

django.setup()

from django.test import Client  # noqa: E402

from ecoute.accounts.models import User  # noqa: E402
from ecoute.catalogue.models import ContactPoint  # noqa: E402
from ecoute.experiences.models import (  # noqa: E402
    Experience,
    ExperienceStatus,
)
from tests.factories import ContactPointFactory, ExperienceFactory, UserFactory  # noqa: E402
from tests.indicators.helpers import felt_counts  # noqa: E402


def setup() -> dict:
    contact_point = ContactPointFactory()
    moderator = UserFactory(moderator=True)
    pending = ExperienceFactory.create_batch(10, contact_point=contact_point)
    client = Client()
    client.force_login(moderator)
    return {
        "session": client.cookies["sessionid"].value,
        "experiences": [experience.pk for experience in pending],
        "contact_point": contact_point.pk,
    }


def state(contact_point: int) -> dict:
    return {
        "published": Experience.objects.filter(status=ExperienceStatus.PUBLISHED).count(),
        "rolled_up": felt_counts(ContactPoint(pk=contact_point))[1],
        "accounts_with_shared_address": User.objects.filter(
            email__iexact="meme-adresse@example.org"
        ).count(),
    }


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        print(json.dumps(setup()))
    else:
        print(json.dumps(state(int(sys.argv[2]))))
