"""The ten moments de vie: the shipped list (data/demarches/moments-de-vie.csv), its loader
(renumbering, --prune) and the page that lists them, through HTTP."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from ecoute.demarches.models import MomentDeVie

from .factories import DemarcheFactory, MomentDeVieFactory

pytestmark = pytest.mark.django_db

# The five priorities of 2023 named by the CITP of 9 May 2023 (data/demarches/SOURCE.md).
CITP_2023 = [
    "Je deviens étudiant",
    "J'établis mon identité",
    "Je pars, je vis, je reviens de l'étranger",
    "Je rénove mon logement",
    "Je perds un proche",
]


def _load(*args: str) -> str:
    out = StringIO()
    call_command("load_moments_de_vie", *args, stdout=out)
    return out.getvalue()


def test_the_shipped_list_has_ten_moments_with_the_citps_five(client):
    _load()
    names = list(MomentDeVie.objects.order_by("number").values_list("name", flat=True))
    assert len(names) == 10
    assert set(CITP_2023) <= set(names)
    page = client.get(reverse("demarches:moments")).content.decode().replace("&#x27;", "'")
    for name in CITP_2023:
        assert name in page


def test_a_moment_may_take_the_number_another_one_had():
    """An older list (here "Je suis victime" at number 3) does not block the file's number 3."""
    MomentDeVieFactory(number=3, slug="je-suis-victime", name="Je suis victime d'une infraction")
    MomentDeVieFactory(number=4, slug="je-perds-mon-autonomie", name="Je perds mon autonomie")
    output = _load()
    assert MomentDeVie.objects.get(number=3).slug == "j-etablis-mon-identite"
    # Kept after the listed ones, and said.
    assert list(
        MomentDeVie.objects.filter(number__gt=10).order_by("number").values_list("slug", flat=True)
    ) == ["je-suis-victime", "je-perds-mon-autonomie"]
    assert "Absents du fichier, gardés (--prune pour les supprimer)" in output


def test_prune_deletes_the_absent_moments_but_not_their_demarches():
    victime = MomentDeVieFactory(number=10, slug="je-suis-victime", name="Je suis victime")
    plainte = DemarcheFactory(name="Pré-plainte en ligne")
    plainte.moments.add(victime)
    output = _load("--prune")
    assert "Absents du fichier, supprimés : Je suis victime." in output
    assert not MomentDeVie.objects.filter(slug="je-suis-victime").exists()
    assert MomentDeVie.objects.count() == 10
    plainte.refresh_from_db()
    assert plainte.moments.count() == 0


def test_loading_twice_changes_nothing():
    _load()
    before = list(MomentDeVie.objects.values_list("pk", "number", "slug", "name"))
    assert "Absents" not in _load()
    assert list(MomentDeVie.objects.values_list("pk", "number", "slug", "name")) == before


def test_a_new_moments_page_opens_even_without_demarches(client):
    _load()
    response = client.get(reverse("demarches:moment", args=["j-etablis-mon-identite"]))
    assert response.status_code == 200
    assert "J&#x27;établis mon identité" in response.content.decode()
