"""The baromètre's pages and CSV files through HTTP, with their query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ecoute.policies.models import Policy

pytestmark = pytest.mark.django_db

TRANSPARENCY_POLICY = "ameliorer-la-qualite-du-service-rendu-a-lusager"


def _get(client, url: str, max_queries: int):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    count = len(captured.captured_queries)
    assert count <= max_queries, f"{url}: {count} queries\n" + "\n".join(
        q["sql"] for q in captured.captured_queries
    )
    return response


def _csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# edition, editions, themes, policies (one grouped query), départements, DSFR settings (2)
EDITION_QUERIES = 7


def test_index_shows_the_latest_edition_by_engagement(client, loaded):
    response = _get(client, reverse("policies:index"), EDITION_QUERIES)
    html = response.content.decode()
    assert "édition d&#x27;octobre 2024" in html or "édition d'octobre 2024" in html
    assert "Bâtir de nouveaux progrès et refonder nos services publics" in html
    assert "Consolider le réseau des espaces France services" in html
    assert reverse("policies:edition", args=["2023"]) in html
    assert 'aria-current="page"' in html


def test_the_2023_edition_lists_its_mesures(client, loaded):
    response = _get(client, reverse("policies:edition", args=["2023"]), EDITION_QUERIES)
    html = response.content.decode()
    assert "Améliorer la qualité du service rendu à l’usager" in html
    assert "ne classent pas les mesures par thème" in html


def test_filter_by_theme_and_search(client, loaded):
    url = reverse("policies:edition", args=["2024"])
    html = _get(client, f"{url}?theme=EMPLOI", EDITION_QUERIES).content.decode()
    assert "Consolider le réseau des espaces France services" not in html
    assert "France 2030" in html
    # A word of an indicator's name finds its policy; accents and case do not matter.
    html = _get(client, f"{url}?q=SATISFACTION+des+usagers", EDITION_QUERIES + 1).content.decode()
    assert "Consolider le réseau des espaces France services" in html
    assert "France 2030" not in html
    html = client.get(f"{url}?q=zzzz").content.decode()
    assert 'data-testid="no-policy"' in html


def test_departement_picker_redirects_without_javascript(client, loaded):
    response = client.get(reverse("policies:edition", args=["2024"]) + "?departement=53")
    assert response.status_code == 302
    assert response["Location"] == reverse("policies:departement", args=["2024", "53"])


@pytest.mark.parametrize("code", ["99", "a/b", "../01", "%00"])
def test_an_unknown_departement_in_the_picker_is_a_clear_error(client, loaded, code):
    response = client.get(reverse("policies:edition", args=["2024"]), {"departement": code})
    assert response.status_code == 200
    assert "Ce département n&#x27;existe pas" in response.content.decode()


# policy, indicators, summaries, national history, DSFR settings (2)
POLICY_QUERIES = 6


@pytest.mark.parametrize(("edition", "code"), [("2024", "CH-146"), ("2023", TRANSPARENCY_POLICY)])
def test_policy_page(client, loaded, edition, code):
    response = _get(client, reverse("policies:policy", args=[edition, code]), POLICY_QUERIES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Par département" in html
    assert "Mayenne (53)" in html
    assert reverse("policies:departement", args=[edition, "53"]) in html


def test_policy_page_draws_a_map_and_the_national_evolution(client, loaded):
    url = reverse("policies:policy", args=["2023", TRANSPARENCY_POLICY])
    html = client.get(url).content.decode()
    assert 'data-testid="chart-carte-tx-transparence-resultats"' in html
    assert 'data-testid="chart-evolution-tx-transparence-resultats"' in html
    assert 'data-code="53"' in html  # the map colours the sampled départements
    # Each chart's CSV is the page's own CSV of the same figures.
    csv_url = reverse("policies:policy_csv", args=["2023", TRANSPARENCY_POLICY, "departements"])
    assert f'href="{csv_url}?indicateur=tx-transparence-resultats"' in html


def test_policy_page_values_and_history(client, loaded):
    url = reverse("policies:policy", args=["2023", TRANSPARENCY_POLICY])
    html = client.get(url).content.decode()
    assert 'data-testid="national-tx-transparence-resultats"' in html
    assert 'data-testid="history-tx-transparence-resultats"' in html
    assert "31 décembre 2022" in html


def test_departement_table_sorts_by_link(client, loaded):
    url = reverse("policies:policy", args=["2023", TRANSPARENCY_POLICY])
    ascending = client.get(f"{url}?tri=valeur&ordre=asc").content.decode()
    descending = client.get(f"{url}?tri=valeur&ordre=desc").content.decode()
    table = 'data-testid="departements-tx-transparence-resultats"'

    def order(html: str) -> list[str]:
        part = html[html.index(table) :]
        return sorted(["Ain (01)", "Mayenne (53)"], key=part.index)

    # Ain 76 %, Mayenne 84 %.
    assert order(ascending) == ["Ain (01)", "Mayenne (53)"]
    assert order(descending) == ["Mayenne (53)", "Ain (01)"]
    assert 'aria-sort="descending"' in descending
    # An unknown sort key falls back to the département code, never an error.
    assert client.get(f"{url}?tri=nimporte").status_code == 200


# edition, département, editions, local summaries, national summaries, DSFR settings (2)
DEPARTEMENT_QUERIES = 7


@pytest.mark.parametrize("edition", ["2023", "2024"])
def test_departement_page(client, loaded, edition):
    url = reverse("policies:departement", args=[edition, "01"])
    html = _get(client, url, DEPARTEMENT_QUERIES).content.decode()
    assert 'data-testid="departement-table"' in html
    assert "Valeur actuelle (France)" in html
    other = "2023" if edition == "2024" else "2024"
    assert reverse("policies:departement", args=[other, "01"]) in html


def test_departement_page_links_each_policy(client, loaded):
    html = client.get(reverse("policies:departement", args=["2023", "01"])).content.decode()
    assert (
        reverse("policies:policy", args=["2023", TRANSPARENCY_POLICY])
        + "?indicateur=tx-transparence-resultats#indicateur-tx-transparence-resultats"
        in html
    )
    assert "76" in html


def test_departement_list(client, loaded):
    html = _get(client, reverse("policies:departements", args=["2024"]), 5).content.decode()
    assert "53 — Mayenne" in html


@pytest.mark.parametrize(
    "url",
    [
        "/barometre-resultats/1999/",
        "/barometre-resultats/2024/politiques/CH-999/",
        "/barometre-resultats/2023/politiques/CH-146/",
        "/barometre-resultats/2024/departements/99/",
        "/barometre-resultats/1999/departements/01/",
        "/barometre-resultats/2024/politiques/CH-146/autre.csv",
        "/barometre-resultats/2024/politiques/CH-146/departements.csv?indicateur=IND-1",
        "/barometre-resultats/2024/departements/99/donnees.csv",
    ],
)
def test_unknown_things_are_404(client, loaded, url):
    assert client.get(url).status_code == 404


def test_index_without_any_edition_says_so(client, db):
    response = client.get(reverse("policies:index"))
    assert response.status_code == 200
    assert 'data-testid="no-edition"' in response.content.decode()


def test_pages_refuse_writes(client, loaded):
    assert client.post(reverse("policies:index")).status_code == 405


def test_edition_csv(client, loaded):
    rows = _csv(client.get(reverse("policies:edition_csv", args=["2024"])))
    assert len(rows) == 59
    assert {"engagement", "code", "politique", "nombre_indicateurs"} == set(rows[0])


def test_policy_csvs(client, loaded):
    args = ["2023", TRANSPARENCY_POLICY]
    national = _csv(client.get(reverse("policies:policy_csv", args=[*args, "indicateurs"])))
    assert national[0]["indicateur"] == "tx-transparence-resultats"
    assert national[0]["cible"]
    departements = _csv(
        _get(client, reverse("policies:policy_csv", args=[*args, "departements"]), 4)
    )
    assert [(r["code_departement"], r["valeur_actuelle"]) for r in departements][0] == (
        "01",
        "76.0",
    )
    history = _csv(
        client.get(
            reverse("policies:policy_csv", args=[*args, "historique"])
            + "?indicateur=tx-transparence-resultats"
        )
    )
    assert len(history) > 2
    assert {r["indicateur"] for r in history} == {"tx-transparence-resultats"}


def test_departement_csv(client, loaded):
    rows = _csv(_get(client, reverse("policies:departement_csv", args=["2024", "53"]), 4))
    assert {r["indicateur"] for r in rows} == {"IND-246", "IND-323"}
    assert all(r["national_valeur_actuelle"] for r in rows)


def test_the_header_and_footer_link_the_barometre(client, db):
    html = client.get(reverse("ui:home")).content.decode()
    assert 'data-testid="nav-indicators"' in html  # "Résultats", whose page lists the barometer
    assert 'data-testid="footer-barometre"' in html


@pytest.mark.parametrize("role", ["usager", "staff"])
def test_signed_in_visitors_see_the_same_pages(client, loaded, role):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=role == "staff"))
    for url in (
        reverse("policies:index"),
        reverse("policies:policy", args=["2024", "CH-146"]),
        reverse("policies:departement", args=["2024", "01"]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_admin_shows_the_barometre_read_only(client, loaded):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for model in ("edition", "theme", "policy", "indicator", "value", "summary"):
        assert client.get(f"/admin/policies/{model}/").status_code == 200, model
        assert client.get(f"/admin/policies/{model}/add/").status_code == 403, model
    policy = Policy.objects.get(code="CH-146")
    response = client.get(f"/admin/policies/policy/{policy.pk}/change/")
    assert response.status_code == 200  # view only
    assert b'name="_save"' not in response.content
