from django.urls import path

from . import views

app_name = "ui"
urlpatterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.static_page, {"name": "legal_notice"}, name="legal_notice"),
    path(
        "donnees-personnelles/",
        views.static_page,
        {"name": "personal_data"},
        name="personal_data",
    ),
    path("accessibilite/", views.static_page, {"name": "accessibility"}, name="accessibility"),
    path("conditions-utilisation/", views.static_page, {"name": "terms"}, name="terms"),
    path("aide/", views.static_page, {"name": "help"}, name="help"),
    path("plan-du-site/", views.sitemap, name="sitemap"),
    path("pages/<slug:slug>/", views.old_page, name="page"),
]
