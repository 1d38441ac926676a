"""Debate pages: a section's contributions, the propose form, a contribution with its votes,
arguments and sources, the results. Every page works without JavaScript; every write goes
through an action, refused with a message (403) when the participation is not open."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.common.pagination import keyset_paginate
from ecoute.consultations.models import Consultation
from ecoute.moderation.masking import mask_personal_data

from . import actions, permissions
from .forms import ArgumentForm, ContributionForm, SourceForm, VoteForm
from .models import (
    Argument,
    ArgumentVote,
    Contribution,
    Section,
    Side,
    Source,
    Visibility,
    Vote,
    VoteValue,
)
from .ordering import DEFAULT_SORT, SORTS, contributions_page, visitor_seed

PAGE_SIZE = 25
ARGUMENTS_PAGE_SIZE = 10


def _consultation(request: HttpRequest, slug: str) -> Consultation:
    consultation = permissions.get_consultation_for_user(request.user, slug)
    if consultation is None:
        raise Http404
    return consultation


def _section(request: HttpRequest, slug: str, section_slug: str) -> Section:
    consultation = _consultation(request, slug)
    section = get_object_or_404(Section, consultation=consultation, slug=section_slug)
    section.consultation = consultation
    return section


def _contribution(request: HttpRequest, slug: str, pk: int) -> Contribution:
    consultation = _consultation(request, slug)
    contribution = get_object_or_404(
        Contribution.objects.select_related("section", "author"),
        pk=pk,
        section__consultation=consultation,
    )
    contribution.section.consultation = consultation
    if not permissions.can_see_contribution(request.user, contribution):
        raise Http404
    return contribution


def consultation_url(consultation: Consultation) -> str | None:
    """The consultation's page (built by the consultations app; absent on a branch without it)."""
    try:
        return consultation.get_absolute_url()
    except NoReverseMatch:
        return None


def _breadcrumb(consultation: Consultation, *trail: tuple[str, str | None]) -> list[Any]:
    """Accueil > Consultations > the consultation > …"""
    return [
        (_("Consultations"), reverse("consultations:list")),
        (consultation.title, consultation_url(consultation)),
        *trail,
    ]


@require_safe
def section(request: HttpRequest, slug: str, section_slug: str) -> HttpResponse:
    current = _section(request, slug, section_slug)
    consultation = current.consultation
    sort = request.GET.get("tri", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    cursor, before = request.GET.get("apres"), request.GET.get("avant")
    page = contributions_page(
        current,
        sort=sort,
        seed=visitor_seed(request.session),
        cursor=cursor,
        before=before,
        size=PAGE_SIZE,
    )
    pinned: list[Contribution] = []
    if sort == DEFAULT_SORT and not cursor:
        pinned = list(
            Contribution.objects.published()
            .filter(section=current, pinned=True)
            .select_related("author")
            .order_by("id")
        )
    shown = [*pinned, *page.items]
    my_votes: dict[int, str] = {}
    if request.user.is_authenticated and shown:
        my_votes = dict(
            Vote.objects.filter(
                user=request.user, contribution__in=[c.pk for c in shown]
            ).values_list("contribution_id", "value")
        )
    for contribution in shown:
        contribution.section = current  # its URL names the consultation: no query per row
        contribution.my_vote = my_votes.get(contribution.pk, "")  # type: ignore[attr-defined]
    refusal = permissions.contribution_refusal(request.user, current)
    sections = list(Section.objects.filter(consultation=consultation).order_by("order", "id"))
    return render(
        request,
        "debates/section.html",
        {
            "consultation": consultation,
            "section": current,
            "sections": sections,
            "pinned": pinned,
            "page": page,
            "sort": sort,
            "sorts": SORTS.values(),
            "refusal": refusal,
            "consultation_url": consultation_url(consultation),
            "title": f"{current.title} — {consultation.title}",
            "breadcrumb": _breadcrumb(consultation, (current.title, None)),
        },
    )


@ratelimit(key="user_or_ip", rate="20/h", method="POST", block=True)
def propose(request: HttpRequest, slug: str, section_slug: str) -> HttpResponse:
    current = _section(request, slug, section_slug)
    refusal = permissions.contribution_refusal(request.user, current)
    if refusal:
        raise PermissionDenied(refusal)
    form = ContributionForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid() and request.POST.get("apercu"):
        # What will be published, masks applied: nothing is stored yet.
        preview = {
            name: mask_personal_data(form.cleaned_data[name]).text for name in ("title", "body")
        }
    elif request.method == "POST" and form.is_valid():
        try:
            contribution = actions.propose_contribution(
                author=request.user,  # type: ignore[arg-type]
                section=current,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contribution publiée. Merci !"))
            return redirect(contribution)
    title = _("Contribuer : %(section)s") % {"section": current.title}
    return render(
        request,
        "debates/propose.html",
        {
            "consultation": current.consultation,
            "section": current,
            "form": form,
            "preview": preview,
            "title": title,
            "breadcrumb": _breadcrumb(
                current.consultation,
                (current.title, current.get_absolute_url()),
                (_("Contribuer"), None),
            ),
        },
        status=400 if form.errors else 200,
    )


@ratelimit(key="user_or_ip", rate="30/h", method="POST", block=True)
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contribution = _contribution(request, slug, pk)
    refusal = permissions.edit_refusal(request.user, contribution)
    if refusal:
        raise PermissionDenied(refusal)
    form = ContributionForm(
        request.POST or None, initial={"title": contribution.title, "body": contribution.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_contribution(
                actor=request.user,  # type: ignore[arg-type]
                contribution=contribution,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Contribution modifiée."))
            return redirect(contribution)
    section = contribution.section
    return render(
        request,
        "debates/edit.html",
        {
            "contribution": contribution,
            "form": form,
            "title": _("Modifier ma contribution"),
            "breadcrumb": _breadcrumb(
                section.consultation,
                (section.title, section.get_absolute_url()),
                (contribution.title, contribution.get_absolute_url()),
                (_("Modifier"), None),
            ),
        },
        status=400 if form.errors else 200,
    )


def _arguments_page(request: HttpRequest, contribution: Contribution, side: str) -> Any:
    return keyset_paginate(
        Argument.objects.filter(
            contribution=contribution, side=side, visibility=Visibility.PUBLISHED
        ).select_related("author"),
        ordering=["-votes_count", "-id"],
        cursor=request.GET.get(f"apres_{side}"),
        before=request.GET.get(f"avant_{side}"),
        size=ARGUMENTS_PAGE_SIZE,
    )


def _contribution_page(
    request: HttpRequest,
    contribution: Contribution,
    *,
    argument_form: ArgumentForm | None = None,
    source_form: SourceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    section = contribution.section
    consultation = section.consultation
    user = request.user
    pages = {side: _arguments_page(request, contribution, side) for side in Side.values}
    shown = [argument.pk for page in pages.values() for argument in page.items]
    supported: set[int] = set()
    my_vote = ""
    if user.is_authenticated:
        if shown:
            supported = set(
                ArgumentVote.objects.filter(user=user, argument__in=shown).values_list(
                    "argument_id", flat=True
                )
            )
        my_vote = (
            Vote.objects.filter(user=user, contribution=contribution)
            .values_list("value", flat=True)
            .first()
            or ""
        )
    for page in pages.values():
        for argument in page.items:
            argument.contribution = contribution
            argument.supported = argument.pk in supported
    sources = list(
        Source.objects.filter(contribution=contribution, visibility=Visibility.PUBLISHED).order_by(
            "id"
        )[:100]
    )
    return render(
        request,
        "debates/contribution.html",
        {
            "consultation": consultation,
            "section": section,
            "contribution": contribution,
            "arguments_for": pages[Side.FOR],
            "arguments_against": pages[Side.AGAINST],
            "arguments_neutral": pages[Side.NEUTRAL],
            "sources": sources,
            "my_vote": my_vote,
            "vote_values": VoteValue.choices,
            "vote_refusal": permissions.vote_refusal(user, contribution),
            "argument_refusal": permissions.argument_refusal(user, contribution),
            "source_refusal": permissions.source_refusal(user, contribution),
            "can_edit": permissions.edit_refusal(user, contribution) is None,
            "argument_form": argument_form or ArgumentForm(),
            "source_form": source_form or SourceForm(),
            "form": argument_form if status == 400 and argument_form else source_form,
            "title": contribution.title,
            "breadcrumb": _breadcrumb(
                consultation,
                (section.title, section.get_absolute_url()),
                (contribution.title, None),
            ),
        },
        status=status,
    )


@require_safe
def contribution(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _contribution_page(request, _contribution(request, slug, pk))


@ratelimit(key="user_or_ip", rate="300/h", method="POST", block=True)
@require_POST
def vote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contribution = _contribution(request, slug, pk)
    refusal = permissions.vote_refusal(request.user, contribution)
    if refusal:
        raise PermissionDenied(refusal)
    if request.POST.get("retirer"):
        actions.withdraw_vote(actor=request.user, contribution=contribution)  # type: ignore[arg-type]
        done = _("Vote retiré.")
    else:
        form = VoteForm(request.POST)
        if not form.is_valid():
            return HttpResponse(_("Choisissez pour, contre ou mitigé."), status=400)
        actions.cast_vote(
            actor=request.user,  # type: ignore[arg-type]
            contribution=contribution,
            value=form.cleaned_data["value"],
        )
        done = _("Vote enregistré.")
    if request.htmx:  # type: ignore[attr-defined]
        my_vote = (
            Vote.objects.filter(user=request.user, contribution=contribution)  # type: ignore[misc]
            .values_list("value", flat=True)
            .first()
        )
        return render(
            request,
            "debates/_vote.html",
            {
                "consultation": contribution.section.consultation,
                "section": contribution.section,
                "contribution": contribution,
                "my_vote": my_vote or "",
                "vote_values": VoteValue.choices,
                "vote_refusal": None,
                "done": done,
            },
        )
    messages.success(request, done)
    back = request.POST.get("retour")
    if back == "section":
        return redirect(f"{contribution.section.get_absolute_url()}#contribution-{pk}")
    return redirect(f"{contribution.get_absolute_url()}#vote")


@ratelimit(key="user_or_ip", rate="30/h", method="POST", block=True)
@require_POST
def argue(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contribution = _contribution(request, slug, pk)
    refusal = permissions.argument_refusal(request.user, contribution)
    if refusal:
        raise PermissionDenied(refusal)
    form = ArgumentForm(request.POST)
    if form.is_valid():
        try:
            argument = actions.add_argument(
                author=request.user,  # type: ignore[arg-type]
                contribution=contribution,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Argument publié."))
            return redirect(f"{contribution.get_absolute_url()}#argument-{argument.pk}")
    return _contribution_page(request, contribution, argument_form=form, status=400)


@ratelimit(key="user_or_ip", rate="300/h", method="POST", block=True)
@require_POST
def support(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _consultation(request, slug)
    argument = get_object_or_404(
        Argument.objects.select_related("contribution__section"),
        pk=pk,
        contribution__section__consultation=consultation,
    )
    argument.contribution.section.consultation = consultation
    refusal = permissions.support_refusal(request.user, argument)
    if refusal:
        raise PermissionDenied(refusal)
    now = actions.support_argument(actor=request.user, argument=argument)  # type: ignore[arg-type]
    messages.success(request, _("Soutien enregistré.") if now else _("Soutien retiré."))
    return redirect(f"{argument.contribution.get_absolute_url()}#argument-{argument.pk}")


@ratelimit(key="user_or_ip", rate="20/h", method="POST", block=True)
@require_POST
def add_source(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contribution = _contribution(request, slug, pk)
    refusal = permissions.source_refusal(request.user, contribution)
    if refusal:
        raise PermissionDenied(refusal)
    form = SourceForm(request.POST)
    if form.is_valid():
        try:
            source = actions.add_source(
                author=request.user,  # type: ignore[arg-type]
                contribution=contribution,
                **form.cleaned_data,
            )
        except ValidationError as error:
            if getattr(error, "code", "") == "url":
                form.add_error("url", error)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Source ajoutée."))
            return redirect(f"{contribution.get_absolute_url()}#source-{source.pk}")
    return _contribution_page(request, contribution, source_form=form, status=400)
