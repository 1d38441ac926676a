"""Translation catalogues: complete, consistent with their compiled .mo, and actually used.

French is the source language (msgids are French); English is opt-in through the header's
language selector. The .mo files are committed (users have no msgfmt), so a forgotten
`compilemessages` must fail here rather than silently serve stale strings. Strings marked in the
code but never extracted (a branch that skipped `make messages`) fail here too.
"""

import ast
import functools
import gettext
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from ecoute.experiences import actions as experience_actions
from tests.factories import (
    ContactPointFactory,
    ExperienceFactory,
    FollowFactory,
    NotificationSettingsFactory,
    UserFactory,
)

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGUAGES = {
    "fr": "nplurals=2; plural=(n > 1);",
    "en": "nplurals=2; plural=(n != 1);",
}

# %(name)s, %s, %d, %.2f… but not the literal %%.
PYTHON_FORMAT = re.compile(r"%(?:\(\w+\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")
NAMED_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*(?:\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # 0 only, unless plural
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    def sources(self, index: int) -> str:
        """The msgid a given msgstr translates (msgid_plural for the plural forms)."""
        if self.msgid_plural is None or index == 0:
            return self.msgid
        return self.msgid_plural


def parse_po(path: Path) -> list[Entry]:
    """A deliberately small .po reader (stdlib only); obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if current is not None and (current.msgstr or current.msgid or current.flags):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = Entry(line=number)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            continue
        match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")', line)
        if match:
            keyword, index, literal = match.groups()
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                current.msgstr[target[1]] = ""
            else:
                target = (keyword, 0)
                setattr(current, keyword, "")
            literal_text = literal
        elif line.startswith('"') and target is not None:
            literal_text = line
        else:
            raise AssertionError(f"{path}:{number}: unexpected line {raw!r}")
        text = ast.literal_eval(literal_text)  # gettext's escapes are a subset of Python's
        name, index = target
        if name == "msgstr":
            current.msgstr[index] += text
        else:
            setattr(current, name, getattr(current, name) + text)
    finish()
    return entries


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def translations(language: str) -> list[Entry]:
    return [entry for entry in parse_po(po_path(language)) if not entry.is_header]


def header(language: str) -> dict[str, str]:
    (entry,) = [entry for entry in parse_po(po_path(language)) if entry.is_header]
    assert "fuzzy" not in entry.flags, "the header is fuzzy: msgfmt would ignore it"
    return dict(line.split(": ", 1) for line in entry.msgstr[0].splitlines() if ": " in line)


def placeholders(text: str, *, python_format: bool) -> Counter[str]:
    pattern = PYTHON_FORMAT if python_format else NAMED_PLACEHOLDER
    found = pattern.findall(text.replace("%%", ""))
    return Counter(found)


def describe(language: str, entry: Entry) -> str:
    return f"{po_path(language).relative_to(LOCALE_DIR.parent)}:{entry.line} {entry.msgid!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_declares_language_and_plural_forms(language):
    values = header(language)
    assert values["Language"] == language
    assert values["Plural-Forms"] == LANGUAGES[language]
    assert values["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(language):
    entries = translations(language)
    assert entries, f"no entry in {po_path(language)}"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {describe(language, entry)}")
        expected_forms = 2 if entry.msgid_plural is not None else 1
        if sorted(entry.msgstr) != list(range(expected_forms)):
            problems.append(
                f"wrong msgstr forms {sorted(entry.msgstr)}: {describe(language, entry)}"
            )
        if any(not text.strip() for text in entry.msgstr.values()):
            problems.append(f"empty msgstr: {describe(language, entry)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_match_their_msgid(language):
    problems = []
    for entry in translations(language):
        python_format = "python-format" in entry.flags
        for index, text in entry.msgstr.items():
            source = entry.sources(index)
            # Named placeholders are always checked; positional ones only where xgettext
            # recognised a format string (a literal "50 %" in a sentence is not one).
            if placeholders(text, python_format=python_format) != placeholders(
                source, python_format=python_format
            ):
                problems.append(f"msgstr[{index}] {text!r}: {describe(language, entry)}")
            if Counter(NAMED_PLACEHOLDER.findall(text)) != Counter(
                NAMED_PLACEHOLDER.findall(source)
            ):
                problems.append(
                    f"named placeholders differ in {text!r}: {describe(language, entry)}"
                )
    assert not problems, "\n".join(problems)


def test_french_catalogue_is_the_identity():
    """msgids are French: the French catalogue must give them back unchanged."""
    problems = [
        describe("fr", entry)
        for entry in translations("fr")
        for index, text in entry.msgstr.items()
        if text != entry.sources(index)
    ]
    assert not problems, "\n".join(problems)


def test_both_catalogues_hold_the_same_messages():
    """makemessages was run for both languages (a string added to only one is a merge slip)."""
    keys = {
        language: {(e.key, e.msgid_plural) for e in translations(language)}
        for language in LANGUAGES
    }
    assert keys["fr"] == keys["en"]


def test_english_catalogue_is_really_english():
    """A copy of the French catalogue would pass every other test: spot-check a few entries."""
    english = {entry.msgid: entry.msgstr[0] for entry in translations("en")}
    assert english["Trouver un service"] == "Find a service"
    assert english["Raconter mon expérience"] == "Tell us about your experience"
    assert english["Modération"] == "Moderation"
    assert english["Espace agent"] == "Agent area"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    """The committed .mo holds exactly the .po's translations (compilemessages was run).

    Modification times are meaningless in a git checkout, so the contents are compared.
    """
    mo = po_path(language).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `manage.py compilemessages --ignore=.venv`"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    expected: dict[object, str] = {}
    for entry in parse_po(po_path(language)):
        if entry.is_header:
            # msgfmt drops POT-Creation-Date (it changes at every makemessages run anyway).
            expected[""] = "".join(
                line
                for line in entry.msgstr[0].splitlines(keepends=True)
                if not line.startswith("POT-Creation-Date:")
            )
            continue
        if "fuzzy" in entry.flags:
            continue  # msgfmt leaves fuzzy entries out (and the test above fails on them)
        if entry.msgid_plural is None:
            if entry.msgstr.get(0):
                expected[entry.key] = entry.msgstr[0]
        elif all(entry.msgstr.values()):
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
    actual = dict(compiled._catalog)  # the only way to list a .mo's messages
    stale = {
        key: (actual.get(key), value) for key, value in expected.items() if actual.get(key) != value
    }
    extra = sorted(str(key) for key in actual.keys() - expected.keys())
    assert not stale and not extra, (
        f"{mo} is out of date: run `manage.py compilemessages --ignore=.venv`.\n"
        f"differing (in .mo, in .po): {stale}\nonly in .mo: {extra}"
    )
    assert compiled.info().get("language") == language


@pytest.mark.django_db
def test_english_once_chosen(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    content = response.content.decode()
    assert "Find a service" in content
    assert "Trouver un service" not in content


@pytest.mark.django_db
def test_french_by_default_whatever_the_browser_asks(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    content = response.content.decode()
    assert "Trouver un service" in content
    assert "Find a service" not in content


@pytest.mark.django_db
def test_back_to_french(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    response = client.get("/")
    assert response["Content-Language"] == "fr"
    assert "Trouver un service" in response.content.decode()


# --- The catalogues cover the product's strings -------------------------------------------
# A catalogue can be complete and unfuzzy yet miss strings nobody extracted (a branch that never
# ran `make messages`, or .po files united with msgcat): those strings stay French in English.
# This re-does makemessages' extraction with the stdlib (ast for Python, Django's own templatize
# for templates), over the same files and with the same gettext keywords, without needing GNU
# gettext at test time.

PROJECT_ROOT = Path(settings.BASE_DIR)
# makemessages' --ignore list in the Makefile, plus its defaults (hidden directories).
IGNORED_DIRECTORIES = {".venv", "var", "bench", "tests", "node_modules", "__pycache__"}
# xgettext's default Python keywords plus the ones makemessages adds: name -> (context index or
# None, msgid index, msgid_plural index or None).
KEYWORDS: dict[str, tuple[int | None, int, int | None]] = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
TEMPLATIZED_CALL = re.compile(
    r"\b("
    + "|".join(KEYWORDS)
    + r")\(\s*((?:u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?\s*)+)",
    re.DOTALL,
)
TEMPLATIZED_LITERAL = re.compile(r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")", re.DOTALL)


def source_files(*suffixes: str) -> list[Path]:
    found = []
    for directory, subdirectories, files in os.walk(PROJECT_ROOT):
        subdirectories[:] = sorted(
            name
            for name in subdirectories
            if name not in IGNORED_DIRECTORIES and not name.startswith(".")
        )
        found += [Path(directory, name) for name in sorted(files) if name.endswith(suffixes)]
    return found


def message_key(name: str, arguments: list[str]) -> tuple[str, str | None] | None:
    context_index, msgid_index, plural_index = KEYWORDS[name]
    needed = max(i for i in (context_index, msgid_index, plural_index) if i is not None)
    if len(arguments) <= needed:
        return None  # not all literal: xgettext cannot extract it either
    msgid = arguments[msgid_index]
    key = f"{arguments[context_index]}\x04{msgid}" if context_index is not None else msgid
    return key, arguments[plural_index] if plural_index is not None else None


def python_messages(path: Path) -> set[tuple[str, str | None]]:
    messages = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
        if name not in KEYWORDS:
            continue
        literals = []
        for argument in node.args:
            if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                break
            literals.append(argument.value)
        key = message_key(name, literals)
        if key is not None and key[0]:
            messages.add(key)
    return messages


def template_messages(path: Path) -> set[tuple[str, str | None]]:
    from django.utils.translation.template import templatize

    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    messages = set()
    for match in TEMPLATIZED_CALL.finditer(code):
        literals = [
            ast.literal_eval(literal.lstrip("u"))
            for literal in TEMPLATIZED_LITERAL.findall(match.group(2))
        ]
        key = message_key(match.group(1), literals)
        if key is not None and key[0]:
            messages.add(key)
    return messages


@functools.cache
def product_messages() -> set[tuple[str, str | None]]:
    messages: set[tuple[str, str | None]] = set()
    for path in source_files(".py"):
        messages |= python_messages(path)
    for path in source_files(".html", ".txt"):
        messages |= template_messages(path)
    return messages


def test_the_extractor_sees_python_and_templates():
    """The check below is only as good as its extractor: it must find known strings of each kind."""
    messages = product_messages()
    assert ("Trouver un service", None) in messages  # {% translate %} in a template
    assert (
        "%(counter)s accueil le plus proche",
        "Les %(counter)s accueils les plus proches",
    ) in messages  # {% blocktranslate count %}
    assert ("Ce pseudonyme est déjà pris.", None) in messages  # _() in Python


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_holds_every_string_of_the_product(language):
    """Every marked string is in the catalogue, and the catalogue has nothing the product dropped.

    Fix: `make messages`, translate the new English entries, commit the .po and .mo files.
    """
    in_product = product_messages()
    in_catalogue = {(entry.key, entry.msgid_plural) for entry in translations(language)}
    missing = sorted(in_product - in_catalogue, key=str)
    unused = sorted(in_catalogue - in_product, key=str)
    assert not missing, f"not in {po_path(language)} (run `make messages`): {missing}"
    assert not unused, f"no longer in the product, still in {po_path(language)}: {unused}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_obsolete_entries(language):
    """makemessages keeps dropped strings as #~ entries: they only bloat the catalogue."""
    obsolete = [
        number
        for number, line in enumerate(po_path(language).read_text(encoding="utf-8").splitlines(), 1)
        if line.startswith("#~")
    ]
    assert not obsolete, f"obsolete entries at lines {obsolete} of {po_path(language)}"


def untranslated_text(template: str) -> list[str]:
    """Words left in a template once tags, variables, comments and translated blocks are gone."""
    text = re.sub(
        r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}|{#.*?#}|{%.*?%}|{{.*?}}",
        "",
        template,
        flags=re.DOTALL,
    )
    return re.findall(r"[^\W\d_]{2,}", text)


def test_email_bodies_are_marked_for_translation():
    """E-mails follow the language of the request that sends them, like their subjects."""
    templates = [path for path in source_files(".txt") if "email" in path.parts]
    assert len(templates) > 10
    problems = {
        str(path.relative_to(PROJECT_ROOT)): words
        for path in templates
        if (words := untranslated_text(path.read_text(encoding="utf-8")))
    }
    assert not problems


@pytest.mark.django_db
def test_an_email_asked_for_in_english_arrives_in_english(client, settings):
    settings.ECOUTE_SITE_URL = "https://ecoute.example"
    UserFactory(email="jeanne@example.org", username="jeanne")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(reverse("accounts:password_reset"), {"email": "jeanne@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Choose a new password on Écoute"
    assert message.body.startswith("Hello jeanne,\n\nYou asked to choose a new password on Écoute.")
    assert message.body.rstrip().endswith("— The Écoute team")


@pytest.mark.django_db
def test_emails_to_other_people_keep_the_site_language(django_capture_on_commit_callbacks):
    """A moderator browsing in English publishes: the author and the followers, who chose
    nothing, get French e-mails (subject and body alike), not the moderator's language."""
    contact_point = ContactPointFactory()
    follower = FollowFactory(contact_point=contact_point).user
    NotificationSettingsFactory(user=follower, service_frequency="immediate")
    experience = ExperienceFactory(contact_point=contact_point)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        experience_actions.publish_experience(
            actor=UserFactory(moderator=True), experience=experience
        )
    messages = {message.to[0]: message for message in mail.outbox}
    to_author, to_follower = messages[experience.author.email], messages[follower.email]
    assert to_author.subject == "Votre expérience est publiée sur Écoute"
    assert to_author.body.startswith(f"Bonjour {experience.author.username},")
    assert "Les agents du service peuvent maintenant vous répondre" in to_author.body
    assert to_follower.subject == "Nouvelle expérience publiée sur Écoute"
    assert "Vous recevez cet e-mail parce que vous suivez ce contenu" in to_follower.body
