from django.urls import path

from . import views

app_name = "consultations"
# Included at the site root. Under consultations/<slug>/, "questionnaires/" and "debats/" belong
# to the questionnaires and debates apps.
urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    # Before the consultations' slugs: the admin refuses this one as a slug (RESERVED_SLUGS).
    path("consultations/mes-participations/", views.my_participations, name="mine"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="detail"),
    path("consultations/<slug:slug>/participants/", views.participants, name="participants"),
    path(
        "consultations/<slug:slug>/participants/affichage/",
        views.set_listed,
        name="set_listed",
    ),
    path("consultations/<slug:slug>/resultats/", views.results, name="results"),
    path("consultations/<slug:slug>/agenda.ics", views.consultation_ics, name="ics"),
    path("agenda/", views.agenda_page, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
]
