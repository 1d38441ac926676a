"""What a visitor typed in the tell form survives a detour through login or sign-up.

The draft is kept server-side in the session (never in the URL), for one contact point at a
time, and restored once: the form shows it, then it is gone.
"""

from django.http import HttpRequest, QueryDict

from ecoute.catalogue.models import ContactPoint

from .forms import RATING_QUESTIONS, ExperienceForm

SESSION_KEY = "experiences.tell_draft"
MAX_FIELD_LENGTH = 10_000  # longer than any valid field: the form reports what is too long


def save_draft(request: HttpRequest, contact_point: ContactPoint, data: QueryDict) -> None:
    """Keep the experience fields of `data` (not the e-mail or postal code) in the session."""
    fields = ExperienceForm.base_fields.keys() | {f"rating_{key}" for key in RATING_QUESTIONS}
    request.session[SESSION_KEY] = {
        "contact_point": contact_point.pk,
        "data": {
            name: value[:MAX_FIELD_LENGTH]
            for name in sorted(fields)
            if isinstance(value := data.get(name), str) and value
        },
    }


def has_draft(request: HttpRequest, contact_point: ContactPoint) -> bool:
    draft = request.session.get(SESSION_KEY)
    return isinstance(draft, dict) and draft.get("contact_point") == contact_point.pk


def pop_draft(request: HttpRequest, contact_point: ContactPoint) -> dict[str, str]:
    """The saved fields for this contact point (then forgotten), or an empty dict."""
    if not has_draft(request, contact_point):
        return {}
    draft = request.session.pop(SESSION_KEY)
    data = draft.get("data")
    return dict(data) if isinstance(data, dict) else {}
