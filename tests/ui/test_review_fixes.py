"""Review fixes in the shared layout."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("traits", "shown"),
    [({"moderator": True}, True), ({"is_superuser": True}, True), ({}, False)],
)
def test_header_links_the_moderation_queue_for_whoever_may_moderate(client, traits, shown):
    # A superuser moderates (moderation.permissions.can_moderate) without the is_moderator flag.
    client.force_login(UserFactory(**traits))
    page = client.get("/").content.decode()
    assert ('data-testid="nav-moderation"' in page) is shown
