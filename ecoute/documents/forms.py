from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ecoute.common.forms import EcouteForm

from .actions import SIMPLIFIED_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
from .files import UnacceptableFile, inspect_file, read_limited, too_large_message

FILE_HELP = _("PDF, PNG, JPEG ou WebP, 10 Mo au plus.")


def _no_control_characters(value: str) -> None:
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise forms.ValidationError(_("Le texte contient des caractères non autorisés."))


class _FileForm(EcouteForm):
    """Reads each uploaded file (at most 10 Mo) and checks it by content: `cleaned_data[name]`
    holds its bytes. File fields are declared optional for Django and checked here, so a file
    dropped for its size says so instead of "required"."""

    file_fields: dict[str, bool] = {}  # name -> required

    def __init__(self, *args: object, upload_too_large: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large
        for name in self.file_fields:
            widget = self.fields[name].widget
            widget.attrs.update({"class": "fr-upload", "accept": ".pdf,.png,.jpg,.jpeg,.webp"})
            widget.group_class = "fr-upload-group"  # type: ignore[attr-defined]

    def _clean_upload(self, name: str) -> bytes | None:
        upload: UploadedFile | None = self.cleaned_data.get(name)
        if upload is None:
            if self.upload_too_large:
                raise forms.ValidationError(too_large_message(), code="too_large")
            if self.file_fields[name]:
                raise forms.ValidationError(_("Choisissez un fichier."), code="required")
            return None
        try:
            data = read_limited(upload.chunks())
            inspect_file(data)
        except UnacceptableFile as error:
            raise forms.ValidationError(str(error), code="file") from error
        return data

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        for name in self.file_fields:
            if name in self.errors:
                continue
            try:
                cleaned[name] = self._clean_upload(name)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned


class DocumentForm(_FileForm):
    file_fields = {"file": True}

    title = forms.CharField(
        label=_("Titre"),
        min_length=5,
        max_length=TITLE_MAX_LENGTH,
        help_text=_("Par exemple : « Formulaire de demande d'aide au logement »."),
        validators=[_no_control_characters],
    )
    difficulty = forms.CharField(
        label=_("Qu'est-ce qui est difficile ?"),
        min_length=20,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Les mots, les étapes ou les pièces demandées que vous ne comprenez pas. "
            "Ce texte sera public après relecture ; vos coordonnées seront masquées."
        ),
        validators=[_no_control_characters],
    )
    file = forms.FileField(
        label=_("Le document"),
        required=False,  # required in file_fields, checked in clean()
        help_text=_(
            "PDF, PNG, JPEG ou WebP, 10 Mo au plus. Il ne sera vu que par le service "
            "concerné et la modération, jamais publié."
        ),
    )


class DocumentAnswerForm(_FileForm):
    file_fields = {"simplified_file": False}

    answer = forms.CharField(
        label=_("Réponse publique du service"),
        min_length=10,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[_no_control_characters],
    )
    simplified_text = forms.CharField(
        label=_("Version simplifiée (texte)"),
        required=False,
        max_length=SIMPLIFIED_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Publiée à côté du document, en mots simples."),
        validators=[_no_control_characters],
    )
    simplified_file = forms.FileField(
        label=_("Version simplifiée (fichier)"), required=False, help_text=FILE_HELP
    )


class HideForm(EcouteForm):
    reason = forms.CharField(
        label=_("Motif du masquage"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Visible dans le journal de modération."),
    )
