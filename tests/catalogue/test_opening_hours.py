"""The opening hours a France services counter's description holds, read back day by day."""

from ecoute.catalogue.importers import _opening_hours, read_opening_hours


def test_written_hours_read_back():
    row = {
        "h_lundi": " 09:00 - 12:00 / 13:30 - 17:00 ",
        "h_mardi": "",
        "h_samedi": "09:00 - 12:00",
        "prise_rdv": "Oui",
    }
    hours = read_opening_hours(_opening_hours(row))
    assert hours.days == [("Lundi", "09:00 - 12:00 / 13:30 - 17:00"), ("Samedi", "09:00 - 12:00")]
    assert hours.notes == ["Sur rendez-vous possible."]
    assert hours.by_appointment


def test_other_text_is_kept_as_notes():
    hours = read_opening_hours("Accueil sur place\nDimanche : fermé\nMardi : 10:00 - 12:00\n\n")
    assert hours.days == [("Mardi", "10:00 - 12:00")]
    assert hours.notes == ["Accueil sur place", "Dimanche : fermé"]
    assert not hours.by_appointment
    assert read_opening_hours("").days == []
