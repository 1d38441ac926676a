"""Who handles a published experience, and who is told when that changes.

`Experience.handling_organisation` is set at publication (the contact point's organisation,
or the head organisation of the network for a story naming only a network) and moved when an
agent routes it to another organisation (ecoute/inbox, which this app may not import). The
organisations that see and answer an experience form its *chain*: the handling organisation
and every one above it. (An escalation does not move it: the parent already belongs to the
chain; the inbox records which level it reached.)

Apps that keep something in step with an experience's handling (the inbox entries) register a
listener here; the actions call `changed()` inside their transaction, after each change of
status, answer or handling, so what they keep is never out of step with the row.
"""

from collections.abc import Callable

from ecoute.catalogue.models import Organisation

from .models import Experience

Listener = Callable[[int], None]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    """Call `listener(experience_id)` after each change (from an AppConfig.ready())."""
    if listener not in _listeners:
        _listeners.append(listener)


def changed(experience_id: int) -> None:
    """Tell the listeners, in the caller's transaction, that an experience changed."""
    for listener in _listeners:
        listener(experience_id)


def network_head(network_id: int) -> Organisation | None:
    """The head (root) organisation of a network: who handles stories naming only it."""
    return (
        Organisation.objects.filter(network_id=network_id, parent__isnull=True)
        .order_by("id")
        .first()
    )


def base_organisation(experience: Experience) -> Organisation | None:
    """The lowest organisation of the chain that sees and answers `experience`: the handling
    organisation (the contact point's until set, e.g. for rows older than the field). No
    query when it is the contact point's organisation, loaded with it."""
    origin = experience.contact_point.organisation if experience.contact_point else None
    handling_id = experience.handling_organisation_id
    if handling_id is None or (origin is not None and origin.pk == handling_id):
        return origin
    return experience.handling_organisation
