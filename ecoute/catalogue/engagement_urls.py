from django.urls import path

from . import views

app_name = "engagements"
urlpatterns = [
    path("", views.engagement_list, name="list"),
]
