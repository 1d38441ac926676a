from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("", views.edition, name="index"),
    path("<slug:edition>/", views.edition, name="edition"),
    path("<slug:edition>/politiques.csv", views.edition_csv, name="edition_csv"),
    path("<slug:edition>/politiques/<slug:code>/", views.policy, name="policy"),
    path(
        "<slug:edition>/politiques/<slug:code>/<str:table>.csv",
        views.policy_csv,
        name="policy_csv",
    ),
    path("<slug:edition>/departements/", views.departements, name="departements"),
    path("<slug:edition>/departements/<str:code>/", views.departement, name="departement"),
    path(
        "<slug:edition>/departements/<str:code>/donnees.csv",
        views.departement_csv,
        name="departement_csv",
    ),
]
