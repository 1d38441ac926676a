"""The policy page details one indicator at a time (chosen by a link, no JavaScript), so the
largest policy stays light; every value stays one link away and in the CSVs."""

import csv
import io
import shutil

import pytest
from django.urls import reverse

from ecoute.policies.importers import load_barometre_resultats
from tests.factories import DepartementFactory, RegionFactory, UserFactory

from .sample import SOURCE, build_sample

pytestmark = pytest.mark.django_db

# The largest policy of the data: 6 indicators × 101 départements (916 KB of HTML before).
LARGEST = "CH-067"
LARGEST_INDICATORS = ["IND-218", "IND-223", "IND-227", "IND-228", "IND-229", "IND-230"]
# What the page may weigh: the map's drawing of the 101 départements (~90 KB), one table of
# 101 départements, the national table. Measured 168 KB with the real data (docs/benchmarks.md).
MAX_POLICY_PAGE_BYTES = 250_000


@pytest.fixture
def largest(tmp_path):
    """The real files of the largest policy, with all their départements."""
    root = build_sample(tmp_path)
    data = root / "barometre-resultats" / "ditp-2024" / "data"
    codes = set()
    for code in LARGEST_INDICATORS:
        source = SOURCE / "ditp-2024" / "data" / f"{code.lower()}.csv"
        shutil.copy(source, data / source.name)
        with source.open(encoding="utf-8") as handle:
            codes |= {r["enforce_zone_id"][1:] for r in csv.DictReader(handle)}
    codes = {c for c in codes if c and not c.startswith("RANCE")}
    region = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    for code in sorted(codes):
        if len(code) <= 3 and code[:2].isalnum():
            DepartementFactory(code=code, name=f"Département {code}", region=region)
    load_barometre_resultats(root)
    return reverse("policies:policy", args=["2024", LARGEST])


def test_the_largest_policy_page_stays_light(client, largest):
    response = client.get(largest)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < MAX_POLICY_PAGE_BYTES, len(response.content)
    # The first indicator in detail, the others one link away.
    assert html.count('data-testid="departements-') == 1
    assert 'data-testid="departements-IND-218"' in html
    for code in LARGEST_INDICATORS[1:]:
        assert f'href="?indicateur={code}#indicateur-{code}"' in html
    assert "Département 976" in html or "Département 974" in html


def test_another_indicator_is_chosen_by_a_link(client, largest):
    html = client.get(largest, {"indicateur": "IND-229"}).content.decode()
    assert 'data-testid="departements-IND-229"' in html
    assert 'data-testid="chart-carte-ind-229"' in html
    assert 'data-testid="departements-IND-218"' not in html
    # Sorting keeps the chosen indicator.
    assert "&amp;indicateur=IND-229#indicateur-IND-229" in html


def test_an_unknown_indicator_is_a_clear_error(client, largest):
    response = client.get(largest, {"indicateur": "IND-999"}, follow=True)
    assert response.redirect_chain == [(largest, 302)]
    html = response.content.decode()
    assert "Cet indicateur n&#x27;existe pas dans cette politique." in html
    assert 'data-testid="departements-IND-218"' in html


def test_every_value_stays_downloadable(client, largest):
    url = reverse("policies:policy_csv", args=["2024", LARGEST, "departements"])
    html = client.get(largest).content.decode()
    assert f'href="{url}"' in html  # every indicator, every département
    response = client.get(url)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["indicateur"] for r in rows} == set(LARGEST_INDICATORS)
    assert len(rows) >= 6 * 100


@pytest.mark.parametrize("role", ["anonymous", "usager"])
def test_the_departement_page_opens_the_policy_on_its_indicator(client, largest, role):
    if role == "usager":
        client.force_login(UserFactory())
    page = client.get(reverse("policies:departement", args=["2024", "01"])).content.decode()
    target = f"{largest}?indicateur=IND-229#indicateur-IND-229"
    assert target in page
    assert 'data-testid="departements-IND-229"' in client.get(target).content.decode()
