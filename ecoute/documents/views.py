from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from ecoute.accounts.http import AuthenticatedHttpRequest
from ecoute.catalogue.models import ContactPoint
from ecoute.catalogue.permissions import is_agent
from ecoute.common.http import safe_next_url
from ecoute.common.pagination import keyset_paginate
from ecoute.moderation.permissions import ensure_can_moderate

from . import actions, storage
from .files import too_large_message
from .forms import DocumentAnswerForm, DocumentForm, HideForm
from .models import Document
from .permissions import (
    acting_organisation,
    can_answer_document,
    can_download_original,
    can_hide_document,
    can_publish_document,
    can_submit_document,
    can_view_document,
    documents_for_agent,
)
from .queries import for_lists
from .uploads import SizeLimitUploadHandler, declared_too_large, limit_upload_size


def _document_or_404(pk: int) -> Document:
    return get_object_or_404(for_lists(Document.objects.all()), pk=pk)


def _masked_warning(request: HttpRequest, count: int) -> None:
    if count:
        messages.warning(
            request,
            ngettext(
                "%(n)s donnée personnelle a été masquée dans votre texte.",
                "%(n)s données personnelles ont été masquées dans votre texte.",
                count,
            )
            % {"n": count},
        )


# Submit ----------------------------------------------------------------------------------------


def _submit_context(contact_point: ContactPoint) -> dict[str, object]:
    return {
        "contact_point": contact_point,
        "title": _("Envoyer un document difficile à comprendre"),
        "breadcrumb": [
            (_("Trouver un service"), "/services/"),
            (contact_point.name, contact_point.get_absolute_url()),
            (_("Envoyer un document"), None),
        ],
    }


def _contact_point_or_404(pk: int) -> ContactPoint:
    return get_object_or_404(
        ContactPoint.objects.active().select_related("organisation__network"), pk=pk
    )


@csrf_exempt  # checked by _submit once the upload limit is installed (Django's documented way)
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a document about a contact point. A body announcing more than the limit is refused
    unread; a file going past it while streamed is dropped and reported on the form."""
    if request.method == "POST" and declared_too_large(request):
        contact_point = _contact_point_or_404(pk)
        # The body was not read, so nothing typed can be shown again: a message and a new form.
        context = _submit_context(contact_point) | {
            "form": DocumentForm(),
            "refused": too_large_message(),
        }
        return render(request, "documents/submit.html", context, status=413)
    handler = limit_upload_size(request)
    return _submit(request, pk, handler)


@csrf_protect
@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=True)
def _submit(
    request: AuthenticatedHttpRequest, pk: int, handler: SizeLimitUploadHandler
) -> HttpResponse:
    contact_point = _contact_point_or_404(pk)
    context = _submit_context(contact_point)
    if not can_submit_document(request.user):
        return render(request, "documents/confirm_first.html", context, status=403)
    if request.method != "POST":
        return render(request, "documents/submit.html", context | {"form": DocumentForm()})
    form = DocumentForm(request.POST, request.FILES, upload_too_large=handler.too_large)
    if form.is_valid():
        try:
            document = actions.submit_document(
                author=request.user,
                contact_point=contact_point,
                title=form.cleaned_data["title"],
                difficulty=form.cleaned_data["difficulty"],
                file_data=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file" if error.code == "file" else None, error)
        else:
            _masked_warning(request, document.masked_items)
            messages.success(
                request,
                _(
                    "Merci ! Votre document est transmis à %(service)s. Sa partie publique "
                    "(titre et difficulté) sera visible après relecture par la modération."
                )
                % {"service": contact_point.organisation.display_name},
            )
            return redirect(document.get_absolute_url())
    status = 413 if handler.too_large else 400
    return render(request, "documents/submit.html", context | {"form": form}, status=status)


# Read ------------------------------------------------------------------------------------------


@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    page = keyset_paginate(
        for_lists(Document.objects.published()),
        ordering=["-published_at", "-id"],
        cursor=request.GET.get("apres"),
        size=20,
    )
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "title": _("Documents simplifiés"),
            "breadcrumb": [(_("Documents simplifiés"), None)],
        },
    )


@require_safe
@login_required
def my_documents(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The documents one has sent, whatever their status, with the answer once there is one."""
    page = keyset_paginate(
        for_lists(Document.objects.filter(author=request.user)),
        ordering=["-created_at", "-id"],
        cursor=request.GET.get("apres"),
        size=20,
    )
    title = _("Mes documents envoyés")
    return render(
        request,
        "documents/mine.html",
        {
            "page": page,
            "title": title,
            "breadcrumb": [(_("Mon compte"), reverse("accounts:profile")), (title, None)],
        },
    )


def _detail_context(request: HttpRequest, document: Document, **forms: object) -> dict:
    user = request.user
    can_answer = can_answer_document(user, document)
    return {
        "document": document,
        "can_download": can_download_original(user, document),
        "acting_organisation": acting_organisation(user, document) if can_answer else None,
        "answer_form": forms.get("answer_form") or (DocumentAnswerForm() if can_answer else None),
        "can_publish": can_publish_document(user, document),
        "can_hide": can_hide_document(user, document),
        "hide_form": forms.get("hide_form") or HideForm(),
        "title": document.title,
        "breadcrumb": [
            (_("Documents simplifiés"), reverse("documents:list")),
            (document.title, None),
        ],
    }


@require_safe
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(pk)
    if not can_view_document(request.user, document):
        raise Http404
    return render(request, "documents/detail.html", _detail_context(request, document))


def _file_response(key: str, content_type: str, filename: str) -> FileResponse:
    try:
        handle = storage.path_for(key).open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Nothing in the file may run if a browser renders it anyway.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@never_cache
def download_original(request: HttpRequest, pk: int) -> FileResponse:
    """The original: its submitter, the organisation's agents (or above), moderators. Others
    get a 404 (a private document's existence is not revealed)."""
    document = get_object_or_404(Document.objects.select_related("organisation"), pk=pk)
    if not can_download_original(request.user, document):
        raise Http404
    return _file_response(document.file_key, document.file_type, document.download_name())


@require_safe
def download_simplified(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document.objects.select_related("organisation"), pk=pk)
    if not document.simplified_file_key or not can_view_document(request.user, document):
        raise Http404
    return _file_response(
        document.simplified_file_key,
        document.simplified_file_type,
        document.download_name(simplified=True),
    )


# Agents ----------------------------------------------------------------------------------------


@require_safe
@login_required
def agent_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_agent(request.user):
        raise PermissionDenied(_("Réservé aux agents des services."))
    queryset = for_lists(documents_for_agent(request.user))
    unanswered = request.GET.get("sans_reponse") == "1"
    if unanswered:
        queryset = queryset.filter(answered_at__isnull=True)
    page = keyset_paginate(
        queryset, ordering=["-created_at", "-id"], cursor=request.GET.get("apres"), size=20
    )
    return render(
        request,
        "documents/agent_queue.html",
        {
            "page": page,
            "unanswered": unanswered,
            "title": _("Documents reçus"),
            "breadcrumb": [
                (_("Espace agent"), reverse("inbox:inbox")),
                (_("Documents reçus"), None),
            ],
        },
    )


@csrf_exempt  # checked by _answer once the upload limit is installed
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    if declared_too_large(request):
        return HttpResponse(too_large_message(), status=413, content_type="text/plain")
    handler = limit_upload_size(request)
    return _answer(request, pk, handler)


@csrf_protect
@login_required
@ratelimit(key="user", rate="60/h", method="POST", block=True)
def _answer(
    request: AuthenticatedHttpRequest, pk: int, handler: SizeLimitUploadHandler
) -> HttpResponse:
    document = _document_or_404(pk)
    if not can_view_document(request.user, document):
        raise Http404
    if not can_answer_document(request.user, document):
        raise PermissionDenied(_("Vous ne pouvez pas répondre à ce document."))
    form = DocumentAnswerForm(request.POST, request.FILES, upload_too_large=handler.too_large)
    if form.is_valid():
        try:
            actions.answer_document(
                author=request.user,
                document=document,
                answer=form.cleaned_data["answer"],
                simplified_text=form.cleaned_data["simplified_text"],
                simplified_file_data=form.cleaned_data["simplified_file"],
            )
        except ValidationError as error:
            form.add_error("simplified_file" if error.code == "file" else None, error)
        else:
            messages.success(request, _("Votre réponse est enregistrée ; l'usager est prévenu."))
            return redirect(document.get_absolute_url())
    context = _detail_context(request, document, answer_form=form)
    return render(request, "documents/detail.html", context, status=400)


# Moderation ------------------------------------------------------------------------------------


@require_safe
@login_required
def moderation_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    ensure_can_moderate(request.user)
    page = keyset_paginate(
        for_lists(Document.objects.pending()),
        ordering=["created_at", "id"],
        cursor=request.GET.get("apres"),
        size=20,
    )
    return render(
        request,
        "documents/moderation_queue.html",
        {
            "page": page,
            "title": _("Documents à relire"),
            "breadcrumb": [
                (_("Modération"), reverse("moderation:queue")),
                (_("Documents"), None),
            ],
        },
    )


@require_POST
@login_required
@ratelimit(key="user", rate="600/h", method="POST", block=True)
def moderate(request: AuthenticatedHttpRequest, pk: int, decision: str) -> HttpResponse:
    ensure_can_moderate(request.user)
    document = _document_or_404(pk)
    fallback = reverse("documents:moderation_queue")
    try:
        if decision == "publish":
            actions.publish_document(actor=request.user, document=document)
            messages.success(request, _("Document publié."))
        else:
            form = HideForm(request.POST)
            if not form.is_valid():
                context = _detail_context(request, document, hide_form=form)
                return render(request, "documents/detail.html", context, status=400)
            actions.hide_document(
                actor=request.user, document=document, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Document masqué."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(safe_next_url(request, request.POST.get("next"), fallback))
