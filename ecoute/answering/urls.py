from django.urls import path

from . import views

app_name = "answering"
urlpatterns = [
    path("agent/modeles/", views.template_list, name="template_list"),
    path("agent/modeles/nouveau/", views.template_create, name="template_create"),
    path("agent/modeles/<int:pk>/modifier/", views.template_edit, name="template_edit"),
    path("agent/modeles/<int:pk>/archiver/", views.template_archive, name="template_archive"),
    path("experiences/<int:pk>/rediger/", views.compose, name="compose"),
]
