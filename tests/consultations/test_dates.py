import datetime as dt

import pytest
from django.utils import translation

from ecoute.consultations.dates import date_range


@pytest.mark.parametrize(
    ("start", "end", "french", "english"),
    [
        (
            dt.date(2026, 9, 14),
            dt.date(2026, 12, 15),
            "du 14 septembre au 15 décembre 2026",
            "from 14 September to 15 December 2026",
        ),
        (
            dt.date(2026, 12, 1),
            dt.date(2027, 1, 15),
            "du 1er décembre 2026 au 15 janvier 2027",
            "from 1 December 2026 to 15 January 2027",
        ),
        (dt.date(2027, 3, 3), dt.date(2027, 3, 3), "le 3 mars 2027", "on 3 March 2027"),
    ],
)
def test_date_range_reads_as_people_say_it(start, end, french, english):
    with translation.override("fr"):
        assert date_range(start, end) == french
    with translation.override("en"):
        assert date_range(start, end) == english
