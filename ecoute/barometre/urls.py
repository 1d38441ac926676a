from django.urls import path, re_path

from . import views

app_name = "barometre"
EDITION = r"^(?P<semester>[0-9]{4}-S[12])/v(?P<version>[0-9]{1,4})/"
urlpatterns = [
    path("", views.index, name="index"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/preparer/", views.prepare, name="prepare"),
    path("gestion/<int:pk>/", views.preview, name="preview"),
    path("gestion/<int:pk>/publier/", views.publish, name="publish"),
    path("gestion/<int:pk>/recalculer/", views.reprepare, name="reprepare"),
    path("gestion/<int:pk>/corriger/", views.correct, name="correct"),
    re_path(r"^(?P<semester>[0-9]{4}-S[12])/$", views.semester, name="semester"),
    re_path(EDITION + "$", views.edition, name="edition"),
    re_path(EDITION + r"reseaux/(?P<slug>[-a-zA-Z0-9_]+)/$", views.network, name="network"),
    re_path(
        EDITION + r"departements/(?P<code>[0-9AB]{2,3})/$", views.departement, name="departement"
    ),
]
