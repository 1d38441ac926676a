from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.search, name="search"),
    path("pres-de-chez-moi/", views.nearby, name="nearby"),
]
