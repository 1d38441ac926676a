"""'Mes documents envoyés': a submitter finds what they sent, its status and the answer (walk of
the merged issue 7: a pending document was findable only through the e-mail sent on answer)."""

import pytest
from django.urls import reverse

from tests.documents.world import ROLES, build_world, login
from tests.experiences.test_query_counts import _counts_for
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db
URL = reverse("documents:mine")


def test_lists_only_ones_own_documents_with_their_status(client):
    world = build_world()
    pending = DocumentFactory(author=world.author, contact_point=world.contact_point)
    answered = DocumentFactory(
        author=world.author, contact_point=world.contact_point, published=True, answered=True
    )
    someone_elses = DocumentFactory(contact_point=world.contact_point, published=True)
    login(client, world.author)
    page = client.get(URL).content.decode()
    assert f'data-testid="document-{pending.pk}"' in page
    assert f'data-testid="document-{answered.pk}"' in page
    assert f'data-testid="document-{someone_elses.pk}"' not in page
    assert str(pending.get_status_display()) in page
    assert "Le service a répondu" in page
    assert (
        'data-testid="menu-documents"' in client.get(reverse("accounts:profile")).content.decode()
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_other_role_sees_only_its_own(client, role):
    world = build_world()
    document = DocumentFactory(author=world.author, contact_point=world.contact_point)
    login(client, world.users[role])
    response = client.get(URL)
    if role == "anonymous":
        assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
        return
    assert response.status_code == 200
    assert f'data-testid="document-{document.pk}"' not in response.content.decode()
    assert 'data-testid="no-documents"' in response.content.decode()


def test_does_not_grow_with_rows(client):
    world = build_world()
    login(client, world.author)

    def make_row():
        DocumentFactory(author=world.author, contact_point=world.contact_point, answered=True)

    assert _counts_for(1, make_row, client, [URL], 10) == _counts_for(
        24, make_row, client, [URL], 10
    )
    assert len(client.get(URL).context["page"].items) == 20
    assert client.head(URL).status_code == 200
