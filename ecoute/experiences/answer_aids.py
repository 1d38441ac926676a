"""Links offered next to an agent's answer form by other apps (experiences imports none).

The answering app registers one in its AppConfig.ready(): "start from a template or from an
answer already given", to its own writing page. Each aid gets the experience and the
organisation the agent answers for and returns (label, url), or None to offer nothing.
"""

from collections.abc import Callable

from ecoute.catalogue.models import Organisation

from .models import Experience

AnswerAid = Callable[[Experience, Organisation], tuple[str, str] | None]
_aids: list[AnswerAid] = []


def register_answer_aid(aid: AnswerAid) -> None:
    if aid not in _aids:
        _aids.append(aid)


def answer_aids(experience: Experience, organisation: Organisation | None) -> list[tuple[str, str]]:
    """The (label, url) of each registered aid for this experience (none for a non-agent)."""
    if organisation is None:
        return []
    return [link for aid in _aids if (link := aid(experience, organisation)) is not None]
