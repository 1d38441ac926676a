from typing import TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django_ratelimit.decorators import ratelimit

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.accounts.models import User
from ecoute.accounts.oidc import franceconnect_enabled
from ecoute.catalogue.models import ContactPoint, Organisation
from ecoute.common.http import HtmxHttpRequest, safe_next_url
from ecoute.common.pagination import keyset_paginate
from ecoute.moderation.permissions import ensure_can_moderate

from . import actions, drafts, guests
from .answer_aids import answer_aids
from .forms import (
    SORT_ORDERINGS,
    SORT_RECENT,
    AnswerForm,
    BrowseForm,
    ExperienceForm,
    GuestExperienceForm,
    HideForm,
    new_form_key,
)
from .models import Answer, Experience
from .permissions import (
    answer_editor_organisation_ids,
    answering_organisation,
    can_edit_answer,
    can_edit_experience,
    can_hide_experience,
    can_publish_experience,
    can_tell_experience,
    can_view_experience,
    can_withdraw_experience,
)
from .queries import (
    ANSWER_FIGURES_MINIMUMS,
    browse_experiences,
    contact_point_answer_statistics,
    count_results,
    filter_tags,
    mark_reactions,
    official_answer,
    published_experiences_for_contact_point,
    single_condition,
    with_answers,
)
from .sections import contact_point_sections


def _contact_point_or_404(pk: int, *also_related: str) -> ContactPoint:
    return get_object_or_404(
        ContactPoint.objects.active().select_related(
            "organisation__network",
            "organisation__parent",
            "commune",
            "departement__region",
            *also_related,
        ),
        pk=pk,
    )


@require_safe
def contact_point_page(request: HttpRequest, pk: int) -> HttpResponse:
    contact_point = _contact_point_or_404(pk)
    page = keyset_paginate(
        published_experiences_for_contact_point(contact_point),
        ordering=["-published_at", "-id"],
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=10,
    )
    mark_reactions(request.user, page.items)
    return render(
        request,
        "experiences/contact_point.html",
        {
            "contact_point": contact_point,
            "sections": contact_point_sections(contact_point),
            "answer_figures": contact_point_answer_statistics(contact_point),
            "answer_minimums": ANSWER_FIGURES_MINIMUMS,
            "page": page,
            "title": contact_point.name,
            "breadcrumb": [(_("Trouver un service"), "/services/"), (contact_point.name, None)],
        },
    )


def _guest_email_key(group: str, request: HttpRequest) -> str:
    return guests.rate_limit_identity(request.POST.get("email", ""))


def _guest_email_rate(group: str, request: HttpRequest) -> str | None:
    """Limit per mailbox only what a visitor sends without an account."""
    if request.user.is_authenticated or not request.POST.get("email"):
        return None
    return "5/h"


GUEST_SENT_SESSION_KEY = "experiences.guest_sent_to"  # shows the sender where the link went

# Buttons of the tell form that keep what was typed and go to an account page first.
ACCOUNT_INTENTS = {
    "login": "accounts:login",
    "signup": "accounts:signup",
    "franceconnect": "franceconnect:login",
}


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="user_or_ip", rate="20/h", method="POST", block=True)
@ratelimit(key=_guest_email_key, rate=_guest_email_rate, method="POST", block=True)
def tell_experience(request: HttpRequest, pk: int) -> HttpResponse:
    """Tell an experience: signed in with a confirmed e-mail, or without an account (an e-mail
    confirmed by a link and a postal code). "Se connecter" / "Créer un compte" keep the draft."""
    contact_point = _contact_point_or_404(pk)
    context: dict[str, object] = {
        "contact_point": contact_point,
        "title": _("Raconter mon expérience"),
        "breadcrumb": [
            (_("Trouver un service"), "/services/"),
            (contact_point.name, contact_point.get_absolute_url()),
            (_("Raconter mon expérience"), None),
        ],
    }
    intent = request.POST.get("intent", "")
    if request.method == "POST" and intent in ACCOUNT_INTENTS and not request.user.is_authenticated:
        if intent != "franceconnect" or franceconnect_enabled():
            drafts.save_draft(request, contact_point, request.POST)
            query = urlencode({"next": request.path})
            return redirect(f"{reverse(ACCOUNT_INTENTS[intent])}?{query}")
    if isinstance(request.user, User):
        return _tell_as_account(request, request.user, contact_point, context)
    return _tell_as_guest(request, contact_point, context)


FormClass = TypeVar("FormClass", bound=ExperienceForm)


def _tell_form(
    request: HttpRequest, form_class: type[FormClass], contact_point: ContactPoint
) -> FormClass:
    """Bound to what was posted, or showing the draft kept before a login (once)."""
    if request.method == "POST":
        return form_class(request.POST)
    return form_class(initial=drafts.pop_draft(request, contact_point))


def _render_tell(request: HttpRequest, context: dict[str, object]) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, "experiences/tell.html", context, status=status)


def _masked_warning(request: HttpRequest, masked_items: int) -> None:
    if masked_items:
        messages.warning(
            request,
            ngettext(
                "%(n)s donnée personnelle a été masquée dans votre texte.",
                "%(n)s données personnelles ont été masquées dans votre texte.",
                masked_items,
            )
            % {"n": masked_items},
        )


def _tell_as_account(
    request: HttpRequest, user: User, contact_point: ContactPoint, context: dict[str, object]
) -> HttpResponse:
    if not can_tell_experience(user):
        # The draft stays in the session until the address is confirmed.
        context["has_draft"] = drafts.has_draft(request, contact_point)
        return render(request, "experiences/confirm_first.html", context, status=403)
    form = _tell_form(request, ExperienceForm, contact_point)
    if request.method == "POST" and form.is_valid():
        try:
            experience = actions.submit_experience(
                author=user, contact_point=contact_point, **form.experience_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _masked_warning(request, experience.masked_items)
            messages.success(
                request,
                _("Merci ! Votre expérience sera publiée après relecture par la modération."),
            )
            return redirect(experience.get_absolute_url())
    return _render_tell(request, context | {"form": form})


def _tell_as_guest(
    request: HttpRequest, contact_point: ContactPoint, context: dict[str, object]
) -> HttpResponse:
    form = _tell_form(request, GuestExperienceForm, contact_point)
    if request.method == "POST" and form.is_valid():
        try:
            submission = guests.submit_guest_experience(
                email=form.cleaned_data["email"],
                postal_code=form.cleaned_data["postal_code"],
                contact_point=contact_point,
                **form.experience_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[GUEST_SENT_SESSION_KEY] = submission.email
            return redirect("experiences:tell_sent", pk=contact_point.pk)
    return _render_tell(
        request, context | {"form": form, "guest": True, "franceconnect": franceconnect_enabled()}
    )


@require_safe
def tell_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """After a guest submission: check your mailbox (the address is shown to its sender only)."""
    contact_point = _contact_point_or_404(pk)
    return render(
        request,
        "experiences/tell_sent.html",
        {
            "contact_point": contact_point,
            "email": request.session.get(GUEST_SENT_SESSION_KEY),
            "hours": settings.ECOUTE_GUEST_CONFIRMATION_HOURS,
            "title": _("Confirmez l'envoi de votre expérience"),
            "breadcrumb": [
                (_("Trouver un service"), "/services/"),
                (contact_point.name, contact_point.get_absolute_url()),
                (_("Confirmez l'envoi"), None),
            ],
        },
    )


@require_safe
def confirm_guest(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed to a guest: the experience enters moderation."""
    try:
        experience = guests.confirm_guest_experience(token=token)
    except guests.InvalidGuestConfirmation as error:
        message = {
            "expired": _(
                "Ce lien de confirmation a expiré : votre expérience n'a pas été conservée. "
                "Vous pouvez la raconter à nouveau."
            ),
            "used": _(
                "Ce lien a déjà été utilisé : votre expérience est déjà en attente de modération."
            ),
            "invalid": _("Ce lien de confirmation n'est pas valide. Vérifiez qu'il est complet."),
        }[error.reason]
        return render(
            request,
            "experiences/confirm_guest_failed.html",
            {"title": _("Confirmation impossible"), "message": message, "reason": error.reason},
            status=410 if error.reason == "expired" else 400,
        )
    _masked_warning(request, experience.masked_items)
    return render(
        request,
        "experiences/confirm_guest_done.html",
        {"title": _("Expérience confirmée"), "experience": experience},
    )


@require_safe
def experience_detail(request: HttpRequest, pk: int) -> HttpResponse:
    experience = get_object_or_404(
        with_answers(Experience.objects.all()).select_related(
            "contact_point__organisation__network"
        ),
        pk=pk,
    )
    if not can_view_experience(request.user, experience):
        raise Http404
    mark_reactions(request.user, [experience])
    mark_editable_answers(request.user, experience)
    organisation = answering_organisation(request.user, experience)
    return render(
        request,
        "experiences/detail.html",
        {
            "experience": experience,
            "answer_form": _new_answer_form(experience, organisation),
            "answer_aids": answer_aids(experience, organisation),
            "can_publish": can_publish_experience(request.user, experience),
            "can_hide": can_hide_experience(request.user, experience),
            "can_edit": can_edit_experience(request.user, experience),
            "can_withdraw": can_withdraw_experience(request.user, experience),
            "hide_form": HideForm(),
            "title": experience.title,
            "breadcrumb": _experience_breadcrumb(experience),
        },
    )


def _new_answer_form(
    experience: Experience, organisation: Organisation | None
) -> AnswerForm | None:
    """The answer form for an agent who may answer (`organisation`, from
    answering_organisation): for the service's official answer, or a complement once it
    exists (decided now, so that a double click cannot post both)."""
    if organisation is None:
        return None
    official = official_answer(experience=experience, organisation=organisation)
    return AnswerForm(initial={"complement": official is not None, "jeton": new_form_key()})


def mark_editable_answers(user: User | AnonymousUser, experience: Experience) -> None:
    """Set `can_edit` on each shown answer (one query for an agent, none for the others)."""
    answers = experience.answers.all()
    editor_ids = answer_editor_organisation_ids(user) if answers else set()
    for shown in answers:
        shown.can_edit = can_edit_answer(  # type: ignore[attr-defined]
            user, shown, experience, editor_organisation_ids=editor_ids
        )


def _experience_breadcrumb(experience: Experience) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [(_("Expériences"), "/experiences/")]
    if experience.contact_point:
        crumbs.append((experience.contact_point.name, experience.contact_point.get_absolute_url()))
    crumbs.append((experience.title, None))
    return crumbs


@require_safe
def experience_list(request: HtmxHttpRequest) -> HttpResponse:
    form = BrowseForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    filters = form.filters()
    sort = filters.pop("tri", SORT_RECENT)
    queryset = browse_experiences(filters)
    page = keyset_paginate(
        with_answers(queryset),
        ordering=SORT_ORDERINGS[sort],
        cursor=request.GET.get("apres"),
        before=request.GET.get("avant"),
        size=20,
    )
    mark_reactions(request.user, page.items)
    context = {
        "form": form,
        "page": page,
        "count": count_results(
            queryset,
            page,
            trust_estimate=single_condition(filters),
            text_alone=(
                browse_experiences({"q": filters["q"]})
                if "q" in filters and not single_condition(filters)
                else None
            ),
        ),
        "tags": filter_tags(filters, request.GET),
        "title": _("Expériences"),
        "breadcrumb": [(_("Expériences"), None)],
    }
    partial = bool(request.htmx and request.htmx.target == "browse")
    template = "experiences/list.html" + ("#browse" if partial else "")
    # A filter the form refuses (unknown commune, end before start…): a 4xx with its message,
    # the valid filters still applied (422 for htmx, which swaps it in place).
    status = 200 if valid else (422 if partial else 400)
    return render(request, template, context, status=status)


def _reaction_response(
    request: HtmxHttpRequest, experience: Experience, template: str, context: dict
) -> HttpResponse:
    """htmx swaps the button in place; without JavaScript, back to the page it came from."""
    if request.htmx:
        return render(request, template, context)
    return redirect(safe_next_url(request, request.POST.get("next"), experience.get_absolute_url()))


def _login_first(request: HttpRequest, experience: Experience) -> HttpResponse:
    """Anonymous visitors are sent to log in, then back to the experience (a GET page)."""
    return redirect_to_login(experience.get_absolute_url())


@require_POST
@ratelimit(key="user_or_ip", rate="120/h", method="POST", block=True)
def metoo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    experience = get_object_or_404(Experience.objects.defer("search_vector"), pk=pk)
    if not isinstance(request.user, User):
        return _login_first(request, experience)
    active = request.POST.get("actif") == "1"
    actions.set_metoo(user=request.user, experience=experience, active=active)
    experience.user_metoo = active  # type: ignore[attr-defined]
    experience.metoo_allowed = True  # type: ignore[attr-defined]
    return _reaction_response(
        request, experience, "experiences/_metoo.html", {"experience": experience}
    )


@require_POST
@ratelimit(key="user_or_ip", rate="120/h", method="POST", block=True)
def answer_useful(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(
        Answer.objects.select_related("experience").defer("experience__search_vector"), pk=pk
    )
    if not isinstance(request.user, User):
        return _login_first(request, answer.experience)
    active = request.POST.get("actif") == "1"
    actions.set_answer_useful(user=request.user, answer=answer, active=active)
    answer.user_useful = active  # type: ignore[attr-defined]
    answer.useful_allowed = True  # type: ignore[attr-defined]
    return _reaction_response(
        request, answer.experience, "experiences/_useful.html", {"answer": answer}
    )


@require_safe
@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """The former experiences-only queue: the queue of every contribution is /moderation/."""
    return redirect("moderation:queue", permanent=True)


@require_POST
@login_required
@ratelimit(key="user", rate="600/h", method="POST", block=True)
def moderate(request: AuthenticatedHttpRequest, pk: int, decision: str) -> HttpResponse:
    ensure_can_moderate(request.user)
    experience = get_object_or_404(
        Experience.objects.select_related("author", "contact_point", "network"), pk=pk
    )
    form = HideForm(request.POST) if decision == "hide" else None
    error = None
    try:
        if decision == "publish":
            experience = actions.publish_experience(actor=request.user, experience=experience)
            message = _("Expérience publiée.")
        elif form is not None and form.is_valid():
            experience = actions.hide_experience(
                actor=request.user, experience=experience, reason=form.cleaned_data["reason"]
            )
            message = _("Expérience masquée.")
        else:
            error = _("Indiquez le motif du masquage.")
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(safe_next_url(request, request.POST.get("next"), reverse("moderation:queue")))
