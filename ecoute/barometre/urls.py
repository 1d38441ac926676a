from django.urls import path

from . import views

app_name = "barometre"
urlpatterns = [
    path("", views.index, name="index"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/preparer/", views.prepare, name="prepare"),
    path("gestion/<int:pk>/", views.preview, name="preview"),
    path("gestion/<int:pk>/publier/", views.publish, name="publish"),
    path("gestion/<int:pk>/recalculer/", views.reprepare, name="reprepare"),
    path("gestion/<int:pk>/corriger/", views.correct, name="correct"),
    # <semester> reads 2026-S1 (checked by the views: anything else is a 404).
    path("<str:semester>/", views.semester, name="semester"),
    path("<str:semester>/v<int:version>/", views.edition, name="edition"),
    path("<str:semester>/v<int:version>/reseaux/<slug:slug>/", views.network, name="network"),
    path(
        "<str:semester>/v<int:version>/departements/<str:code>/",
        views.departement,
        name="departement",
    ),
]
