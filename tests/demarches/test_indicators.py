"""Each indicator's level from its value, at and around every threshold (table-driven)."""

import dataclasses
from decimal import Decimal

import pytest
from django.urls import reverse

from ecoute.demarches.indicators import DEFINITIONS, ORDER, Bands, Level, level

CASES = [
    # satisfaction /10: good ≥ 8, medium 5–8, poor < 5
    ("satisfaction", Decimal("10"), Level.GOOD),
    ("satisfaction", Decimal("8"), Level.GOOD),
    ("satisfaction", Decimal("7.9"), Level.MEDIUM),
    ("satisfaction", Decimal("5"), Level.MEDIUM),
    ("satisfaction", Decimal("4.9"), Level.POOR),
    ("satisfaction", Decimal("0"), Level.POOR),
    # RGAA: 100 % / 50–99 % / < 50 %
    ("rgaa", Decimal("100"), Level.GOOD),
    ("rgaa", Decimal("99.9"), Level.MEDIUM),
    ("rgaa", Decimal("50"), Level.MEDIUM),
    ("rgaa", Decimal("49.9"), Level.POOR),
    ("rgaa", Decimal("0"), Level.POOR),
    # dites-le-nous une fois: 0–1 / 2–4 / > 4 informations asked again
    ("dlnuf", 0, Level.GOOD),
    ("dlnuf", 1, Level.GOOD),
    ("dlnuf", 2, Level.MEDIUM),
    ("dlnuf", 4, Level.MEDIUM),
    ("dlnuf", 5, Level.POOR),
    # help reachable: ≥ 85 % / 50–85 % / < 50 %
    ("aide", Decimal("85"), Level.GOOD),
    ("aide", Decimal("84.9"), Level.MEDIUM),
    ("aide", Decimal("50"), Level.MEDIUM),
    ("aide", Decimal("49"), Level.POOR),
    # availability: > 99.9 % / 98.5–99.9 % / < 98.5 %
    ("disponibilite", Decimal("100"), Level.GOOD),
    ("disponibilite", Decimal("99.95"), Level.GOOD),
    ("disponibilite", Decimal("99.9"), Level.MEDIUM),
    ("disponibilite", Decimal("98.5"), Level.MEDIUM),
    ("disponibilite", Decimal("98.49"), Level.POOR),
    # FranceConnect: offered or not
    ("franceconnect", True, Level.GOOD),
    ("franceconnect", False, Level.POOR),
]


@pytest.mark.parametrize(("code", "value", "expected"), CASES)
def test_level_from_thresholds(code, value, expected):
    assert level(code, value) == expected


@pytest.mark.parametrize("code", ORDER)
def test_no_value_is_not_measured(code):
    assert level(code, None) == Level.NOT_MEASURED


def test_every_indicator_in_the_table_is_defined_once_with_its_thresholds_in_words():
    assert set(ORDER) == set(DEFINITIONS)
    assert all(str(DEFINITIONS[code].thresholds) for code in ORDER)


# --- The thresholds in words come from the numbers -------------------------------------------


def test_thresholds_in_words_follow_the_states_observatory():
    words = {code: DEFINITIONS[code].thresholds for code in ORDER}
    assert words["satisfaction"] == (
        "Bon : 8 ou plus · Moyen : de 5 à moins de 8 · À améliorer : moins de 5"
    )
    assert words["rgaa"].startswith("Bon : 100\u00a0% (totalement conforme) · Moyen : de 50\u00a0%")
    assert "À améliorer : moins de 50\u00a0% ou pas de déclaration" in words["rgaa"]
    assert words["dlnuf"] == "Bon : de 0 à 1 · Moyen : de 2 à 4 · À améliorer : plus de 4"
    assert words["aide"].startswith("Bon : 85\u00a0% ou plus")
    assert words["disponibilite"].startswith("Bon : plus de 99,9\u00a0% · Moyen : de 98,5\u00a0%")
    assert words["franceconnect"] == "Bon : proposé · À améliorer : non proposé"


@pytest.fixture
def stricter_satisfaction(monkeypatch):
    """The satisfaction's good bound raised from 8 to 9: one number changed, nothing else."""
    definition = DEFINITIONS["satisfaction"]
    rule = dataclasses.replace(definition.rule, good=Decimal(9))
    monkeypatch.setitem(DEFINITIONS, "satisfaction", dataclasses.replace(definition, rule=rule))


def test_changing_a_threshold_changes_its_words_and_its_levels(stricter_satisfaction):
    assert DEFINITIONS["satisfaction"].thresholds == (
        "Bon : 9 ou plus · Moyen : de 5 à moins de 9 · À améliorer : moins de 5"
    )
    assert level("satisfaction", Decimal("8.5")) == Level.MEDIUM
    assert level("satisfaction", Decimal("9")) == Level.GOOD


@pytest.mark.django_db
def test_the_observatory_page_shows_the_changed_threshold(client, stricter_satisfaction):
    page = client.get(reverse("demarches:list")).content.decode()
    assert "Bon : 9 ou plus · Moyen : de 5 à moins de 9" in page
    assert "8 ou plus" not in page


@pytest.mark.parametrize(
    ("bands", "words"),
    [
        # a count where lower is better, bounds moved: the ranges follow
        (
            Bands(good=Decimal(2), medium=Decimal(6), higher=False, count=True),
            "de 0 à 2|de 3 à 6|plus de 6",
        ),
        # a strict good bound: the bound itself is medium
        (
            Bands(good=Decimal("99.5"), medium=Decimal(99), strict=True, unit="%"),
            "plus de 99,5\u00a0%|de 99\u00a0% à 99,5\u00a0%|moins de 99\u00a0%",
        ),
        (
            Bands(good=Decimal(90), medium=Decimal(60), unit="%"),
            "90\u00a0% ou plus|de 60\u00a0% à moins de 90\u00a0%|moins de 60\u00a0%",
        ),
    ],
)
def test_bands_write_their_ranges_from_their_bounds(bands, words):
    assert "|".join(bands.ranges().values()) == words
