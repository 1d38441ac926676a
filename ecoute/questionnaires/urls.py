from django.urls import path

from . import views

app_name = "questionnaires"
urlpatterns = [
    path("<slug:slug>/questionnaires/<int:pk>/", views.answer, name="answer"),
    path("<slug:slug>/questionnaires/<int:pk>/merci/", views.confirmation, name="confirmation"),
    path("<slug:slug>/questionnaires/<int:pk>/resultats/", views.results_page, name="results"),
    path(
        "<slug:slug>/questionnaires/<int:pk>/resultats/questions/<int:question_pk>/",
        views.texts,
        name="texts",
    ),
    # The downloads: resultats.csv, resultats.json, resultats.schema.json, reponses.… —
    # reverse("questionnaires:download", kwargs={slug, pk, name, fmt}).
    *(
        path(
            f"<slug:slug>/questionnaires/<int:pk>/{name}.{fmt}",
            views.download,
            {"name": name, "fmt": fmt},
            name="download",
        )
        for name in ("resultats", "reponses")
        for fmt in ("csv", "json", "schema.json")
    ),
]
