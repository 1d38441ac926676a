from django.urls import path

from . import views

app_name = "france_services"
urlpatterns = [
    path("", views.index, name="index"),
    path("couverture/", views.coverage, name="coverage"),
]
