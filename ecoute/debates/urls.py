from django.urls import path

from . import results, views

app_name = "debates"
urlpatterns = [
    path("<slug:slug>/debats/resultats/", results.results, name="results"),
    path(
        "<slug:slug>/debats/resultats/contributions.schema.json",
        results.schema,
        name="schema",
    ),
    path(
        "<slug:slug>/debats/resultats/contributions.<str:fmt>",
        results.download,
        name="download",
    ),
    path("<slug:slug>/debats/<slug:section_slug>/", views.section, name="section"),
    path("<slug:slug>/debats/<slug:section_slug>/contribuer/", views.propose, name="propose"),
    path("<slug:slug>/contributions/<int:pk>/", views.contribution, name="contribution"),
    path("<slug:slug>/contributions/<int:pk>/modifier/", views.edit, name="edit"),
    path("<slug:slug>/contributions/<int:pk>/vote/", views.vote, name="vote"),
    path("<slug:slug>/contributions/<int:pk>/arguments/", views.argue, name="argue"),
    path("<slug:slug>/contributions/<int:pk>/sources/", views.add_source, name="add_source"),
    path("<slug:slug>/arguments/<int:pk>/soutien/", views.support, name="support"),
]
