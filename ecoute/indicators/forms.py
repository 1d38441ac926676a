from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des mesures"),
        help_text=_(
            "UTF-8, séparateur virgule ou point-virgule ; colonnes indicateur, code_sp, "
            "point_de_contact, periode, numerateur, denominateur (10 Mo au plus)."
        ),
    )

    def clean_file(self):  # noqa: ANN201
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 10 Mo : découpez-le."))
        return upload
