"""Each indicator's level from its value, at and around every threshold (table-driven)."""

from decimal import Decimal

import pytest

from ecoute.demarches.indicators import DEFINITIONS, ORDER, Level, level

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
