from django.urls import path

from . import views

app_name = "resources"
urlpatterns = [
    path("", views.index, name="index"),
    path("guides/<slug:slug>/", views.resource_detail, name="resource"),
    path("formations/", views.module_list, name="modules"),
    path("formations/suivi/", views.completion, name="completion"),
    path("formations/<slug:slug>/", views.module_detail, name="module"),
    path("formations/<slug:slug>/terminer/", views.module_complete, name="complete"),
    path("formations/<slug:slug>/annuler/", views.module_uncomplete, name="uncomplete"),
]
