from django.urls import path, re_path

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
    re_path(
        r"^(?P<slug>[-\w]+)/questionnaires/(?P<pk>\d+)/(?P<name>resultats|reponses)\."
        r"(?P<fmt>csv|json|schema\.json)$",
        views.download,
        name="download",
    ),
]
