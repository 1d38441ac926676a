"""Each kind of personal data: what must be masked (the whole entity, with the right kind) and
the look-alikes that must stay (services, national numbers, amounts, delays, event dates,
places, job titles, capitalised common words)."""

import pytest

from ecoute.moderation.masking import find_personal_data, mask_personal_data


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in find_personal_data(text)]


def assert_masked(text: str, entity: str, kind: str) -> None:
    start = text.index(entity)
    end = start + len(entity)
    spans = find_personal_data(text)
    covering = [s for s in spans if s.start < end and start < s.end]
    assert covering, f"{entity!r} not masked in {text!r}: {found(text)}"
    assert all(s.kind == kind for s in covering), found(text)
    assert min(s.start for s in covering) <= start and max(s.end for s in covering) >= end, found(
        text
    )


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Mme Martin ne m'a jamais rappelé.", "Martin"),
        ("J'ai vu M. Dupont à l'accueil.", "Dupont"),
        ("monsieur Jean-Pierre Durand m'a reçu.", "Jean-Pierre Durand"),
        ("Bonjour, je m'appelle Fatoumata Traoré.", "Fatoumata Traoré"),
        ("je m appelle kevin lefevre et je cherche du travail", "kevin lefevre"),
        ("Mon conseiller Thibault est absent.", "Thibault"),
        ("ma conseillere nadia ne repond pas", "nadia"),
        ("Le dossier est bloqué.\nCordialement, Marie L.", "Marie L."),
        ("Merci de votre aide. Bien à vous, Yannick Le Gall", "Yannick Le Gall"),
        ("Madame de Villiers de la CPAM a été aimable.", "de Villiers"),
        ("DUPONT Jean, demandeur d'emploi", "DUPONT Jean"),
        ("J'ai rencontré Sophie Marchand hier à l'agence.", "Sophie Marchand"),
        ("mme n diaye m a dit de revenir", "n diaye"),
    ],
)
def test_names_are_masked(text, entity):
    assert_masked(text, entity, "name")


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        (
            "J'habite au 12 rue de la Paix 01000 Bourg-en-Bresse depuis peu.",
            "12 rue de la Paix 01000 Bourg-en-Bresse",
        ),
        ("Adresse : 3 bis avenue Jean Jaurès, 69007 Lyon.", "3 bis avenue Jean Jaurès, 69007 Lyon"),
        ("j habite 5 impasse des lilas 44000 nantes et", "5 impasse des lilas 44000 nantes"),
        ("Je vis rue Victor Hugo depuis deux ans.", "rue Victor Hugo"),
        ("Écrire à BP 1234, 01000 Bourg-en-Bresse.", "BP 1234, 01000 Bourg-en-Bresse"),
        (
            "Lieu-dit Les Granges, 01230 Évosges : plus de facteur.",
            "Lieu-dit Les Granges, 01230 Évosges",
        ),
        ("mon adresse est bd de la republique 55160 eparges", "bd de la republique 55160 eparges"),
    ],
)
def test_addresses_are_masked(text, entity):
    assert_masked(text, entity, "address")


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Mon numéro allocataire est 1234567.", "1234567"),
        ("allocataire n° 7654321, aucune réponse", "7654321"),
        ("n  caf   1777631 quand l activite", "1777631"),
        ("Mon identifiant France Travail : 1234567A.", "1234567A"),
        ("identifiant pole emploi 3456789B", "3456789B"),
        ("Numéro fiscal 1234567890123, merci.", "1234567890123"),
        ("Concernant le dossier n° 2024-00123, rien.", "2024-00123"),
        ("Numéro de demande 123456789.", "123456789"),
        ("Référence : REF-2023-45678.", "REF-2023-45678"),
        ("mon numero de secu c est 2800235755935", "2800235755935"),
        ("Ma voiture AB-123-CD a été flashée.", "AB-123-CD"),
        ("Immatriculation ab 123 cd.", "ab 123 cd"),
        ("Véhicule 1234 AB 56, carte grise refaite.", "1234 AB 56"),
    ],
)
def test_file_numbers_are_masked_next_to_their_keyword(text, entity):
    assert_masked(text, entity, "file_number")


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("Je suis né le 12/03/1985 à Lyon.", "12/03/1985"),
        ("née le 3 avril 1978", "3 avril 1978"),
        ("Date de naissance : 05-11-1990.", "05-11-1990"),
        ("DDN 12.03.85", "12.03.85"),
        ("ne le 12 03 1985 a paris", "12 03 1985"),
        ("Mon fils est né en 2012.", "2012"),
    ],
)
def test_dates_of_birth_are_masked(text, entity):
    assert_masked(text, entity, "birth_date")


@pytest.mark.parametrize(
    "text",
    [
        "J'ai appelé la CAF, la CPAM, France Travail, Pôle emploi, la MSA et l'URSSAF.",
        "La préfecture de l'Ain et la mairie de Bourg-en-Bresse ne répondent pas.",
        "J'ai appelé le 3949, puis le 39 49, le 3646, le 3230 et le 3939.",
        "On me réclame 450 € puis 1 200 euros, soit 1 650,50 € au total.",
        "Depuis 3 semaines, j'attends ; on m'a dit 48 heures puis deux mois.",
        "Le 12 mars, puis le 03/02/2024, j'ai envoyé mon dossier.",
        "Je suis allé à Lyon, puis à l'agence de Bourg-en-Bresse.",
        "Ma conseillère et l'agent d'accueil m'ont orienté vers Madame la directrice.",
        "Depuis janvier rien. Hier encore, Rien. Malgré tout, Merci.",
        "Le site ne marche pas, mon dossier est en cours de traitement depuis 2 mois.",
        "Il faut remettre en place un accueil physique sur place.",
        "Madame, Monsieur, je vous écris au sujet de mon dossier.",
        "j ai suivi 2 cours de francais a la mission locale",
    ],
)
def test_look_alikes_are_kept(text):
    assert find_personal_data(text) == [], found(text)


def test_masked_text_keeps_the_keywords_and_labels_each_kind():
    result = mask_personal_data(
        "Mme Martin, numéro allocataire 1234567, née le 12/03/1985, "
        "12 rue de la Paix 01000 Bourg-en-Bresse."
    )
    assert result.text == (
        "Mme [nom masqué], numéro allocataire [numéro de dossier masqué], née le "
        "[date de naissance masquée], [adresse masquée]."
    )
    assert result.kinds == {"name": 1, "file_number": 1, "birth_date": 1, "address": 1}
