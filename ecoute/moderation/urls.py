from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("journal/", views.journal, name="journal"),
]
