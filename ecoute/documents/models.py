"""Documents judged too complex (a form, a letter), sent to the organisation that wrote them.

The original file is private for ever (its submitter, the organisation's agents, moderators);
what is public once moderated is the title, what is hard about it, the organisation's answer and
the simplified version it may publish beside it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecoute.catalogue.models import ContactPoint, Organisation


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("En attente de modération")
    PUBLISHED = "published", _("Publié")
    HIDDEN = "hidden", _("Masqué")


class FileType(models.TextChoices):
    """Accepted content types, as found in the bytes (never as claimed by the browser)."""

    PDF = "application/pdf", "PDF"
    PNG = "image/png", "PNG"
    JPEG = "image/jpeg", "JPEG"
    WEBP = "image/webp", "WebP"


FILE_EXTENSIONS = {
    FileType.PDF: "pdf",
    FileType.PNG: "png",
    FileType.JPEG: "jpg",
    FileType.WEBP: "webp",
}
# 10 Mo: the limit announced to users; checked on the request, while streaming and in the DB.
MAX_FILE_BYTES = 10 * 1024 * 1024


class DocumentQuerySet(models.QuerySet["Document"]):
    def published(self) -> "DocumentQuerySet":
        return self.filter(status=DocumentStatus.PUBLISHED)

    def pending(self) -> "DocumentQuerySet":
        return self.filter(status=DocumentStatus.PENDING)


def _valid_file(prefix: str) -> Q:
    return Q(
        **{
            f"{prefix}_type__in": FileType.values,
            f"{prefix}_size__gte": 1,
            f"{prefix}_size__lte": MAX_FILE_BYTES,
        }
    ) & ~Q(**{f"{prefix}_key": ""})


class Document(models.Model):
    """One submitted document, routed to `organisation` (that of the contact point, if any)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="documents"
    )
    contact_point = models.ForeignKey(
        ContactPoint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    title = models.CharField(_("titre"), max_length=150)
    difficulty = models.TextField(_("ce qui est difficile"))
    masked_items = models.PositiveSmallIntegerField(_("données personnelles masquées"), default=0)
    # The original: a random name under PRIVATE_STORAGE_ROOT, its type as sniffed, its size.
    file_key = models.CharField(max_length=80, editable=False)
    file_type = models.CharField(max_length=40, choices=FileType.choices, editable=False)
    file_size = models.PositiveIntegerField(editable=False)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=DocumentStatus.choices,
        default=DocumentStatus.PENDING,
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    hidden_reason = models.TextField(_("motif de masquage"), blank=True)
    # The organisation's answer (public once the document is published), signed by the
    # organisation the agent acted for, and the simplified version it may publish beside it.
    answer = models.TextField(_("réponse"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answering_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    simplified_text = models.TextField(_("version simplifiée"), blank=True)
    simplified_file_key = models.CharField(max_length=80, blank=True, editable=False)
    simplified_file_type = models.CharField(
        max_length=40, choices=FileType.choices, blank=True, editable=False
    )
    simplified_file_size = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document complexe")
        verbose_name_plural = _("documents complexes")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Agents' queue: their organisations' documents, newest first.
            models.Index(fields=["organisation", "-created_at", "-id"]),
            # Public list and moderation queue.
            models.Index(fields=["status", "-published_at", "-id"]),
            models.Index(fields=["status", "created_at", "id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=_valid_file("file"), name="document_file_valid"),
            models.CheckConstraint(
                condition=Q(simplified_file_key="", simplified_file_type="")
                | _valid_file("simplified_file"),
                name="document_simplified_file_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    answer="", answered_at__isnull=True, answering_organisation__isnull=True
                )
                | (
                    ~Q(answer="")
                    & Q(answered_at__isnull=False, answering_organisation__isnull=False)
                ),
                name="document_answer_complete",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=False)
                | Q(simplified_text="", simplified_file_key=""),
                name="document_simplified_needs_answer",
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="document_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.HIDDEN) | ~Q(hidden_reason=""),
                name="document_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def has_simplified_version(self) -> bool:
        return bool(self.simplified_text or self.simplified_file_key)

    def download_name(self, *, simplified: bool = False) -> str:
        """A neutral file name: the user's own file name may hold personal data."""
        if simplified:
            extension = FILE_EXTENSIONS[FileType(self.simplified_file_type)]
            return f"version-simplifiee-{self.pk}.{extension}"
        return f"document-{self.pk}.{FILE_EXTENSIONS[FileType(self.file_type)]}"
