import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.fr import nir as stdnum_nir

from ecoute.moderation.masking import (
    EMAIL_MASK,
    IBAN_MASK,
    NIR_MASK,
    PHONE_MASK,
    mask_personal_data,
)


@pytest.mark.parametrize(
    "spelling",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33612345678",
        "0033 6 12 34 56 78",
        "01 45 67 89 10",
        "+33 (0)1 45 67 89 10",
    ],
)
def test_french_phone_spellings_are_masked(spelling):
    result = mask_personal_data(f"Rappelez-moi au {spelling} demain.")
    assert result.text == f"Rappelez-moi au {PHONE_MASK} demain."
    assert result.kinds == {"phone": 1}


@pytest.mark.parametrize("email", ["jeanne.martin@example.org", "a_b+tag@sous.domaine.fr"])
def test_email_addresses_are_masked(email):
    assert mask_personal_data(f"Écrivez à {email}.").text == f"Écrivez à {EMAIL_MASK}."


def test_nir_with_valid_key_is_masked_in_any_grouping():
    nir = "185057800608491"
    assert stdnum_nir.is_valid(nir)
    for spelling in [nir, "1 85 05 78 006 084 91", "1.85.05.78.006.084.91"]:
        assert mask_personal_data(f"NIR : {spelling}").text == f"NIR : {NIR_MASK}"


def test_corsican_nir_is_masked():
    body = "269022A341732"
    key = 97 - (int(body.replace("2A", "19")) % 97)
    nir = f"{body}{key:02d}"
    assert stdnum_nir.is_valid(nir)
    assert NIR_MASK in mask_personal_data(f"numéro {nir}").text


def test_nir_with_wrong_key_is_not_a_nir():
    assert mask_personal_data("total 185057800608492").text == "total 185057800608492"
    # next to a keyword it is still a file number, whatever its key
    result = mask_personal_data("réf 185057800608492")
    assert result.kinds == {"file_number": 1}


def test_iban_checksum_is_checked():
    valid = "FR76 3000 6000 0112 3456 7890 189"
    assert mask_personal_data(f"IBAN {valid} merci").text == f"IBAN {IBAN_MASK} merci"
    assert mask_personal_data(f"IBAN {valid.replace(' ', '')}").text == f"IBAN {IBAN_MASK}"
    wrong = "FR7630006000011234567890188"
    assert mask_personal_data(f"IBAN {wrong}").text == f"IBAN {wrong}"


def test_ordinary_numbers_are_not_masked():
    text = "Déposé le 12/03/2024 à 14h30 ; appelez le 3949 ; 2 heures d'attente ; 450 €."
    result = mask_personal_data(text)
    assert result.text == text
    assert result.count == 0


@given(
    sex=st.sampled_from("12"),
    year=st.integers(0, 99),
    month=st.integers(1, 12),
    dept=st.integers(1, 95),
    commune=st.integers(1, 999),
    order=st.integers(1, 999),
    prefix=st.text(alphabet="abcdefghij ", max_size=20),
)
def test_any_valid_nir_is_masked(sex, year, month, dept, commune, order, prefix):
    body = f"{sex}{year:02d}{month:02d}{dept:02d}{commune:03d}{order:03d}"
    nir = f"{body}{97 - int(body) % 97:02d}"
    result = mask_personal_data(f"{prefix} {nir} fin")
    assert nir not in result.text
    assert NIR_MASK in result.text


@given(account=st.text(alphabet="0123456789", min_size=23, max_size=23))
def test_any_valid_french_iban_is_masked(account):
    check = stdnum_iban.calc_check_digits(f"FR00{account}")
    iban = f"FR{check}{account}"
    assert stdnum_iban.is_valid(iban)
    assert mask_personal_data(f"mon iban {iban}").text == f"mon iban {IBAN_MASK}"


def test_several_kinds_are_counted():
    result = mask_personal_data(
        "Moi c'est a@b.fr, tél 06 12 34 56 78, sécu 185057800608491, "
        "iban FR7630006000011234567890189"
    )
    assert result.count == 4
    assert result.kinds == {"email": 1, "phone": 1, "nir": 1, "iban": 1}


@pytest.mark.parametrize("number", ["09 72 72 39 49", "0972723949", "3949", "36 46"])
def test_public_service_lines_are_kept(number):
    text = f"J'ai appelé le {number} sans réponse."
    assert mask_personal_data(text).text == text
