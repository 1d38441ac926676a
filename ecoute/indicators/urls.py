from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("indicateurs/", views.indicator_list, name="list"),
    path("indicateurs/<slug:slug>/", views.indicator_definition, name="definition"),
    path("indicateurs/<slug:slug>/departements.csv", views.indicator_csv, name="csv"),
    path("resultats/", views.national_results, name="nation"),
    path("resultats/transparence/", views.transparency_rate, name="transparency"),
    path("resultats/departements/<str:code>/", views.departement_results, name="departement"),
    path("resultats/reseaux/<slug:slug>/", views.network_results, name="network"),
    path("resultats/organisations/<int:pk>/", views.organisation_results, name="organisation"),
]
