from django.urls import path

from . import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("equipe/", views.team, name="team"),
    path("experiences/<int:pk>/", views.item, name="item"),
    path("experiences/<int:pk>/attribuer/", views.assign, name="assign"),
    path("experiences/<int:pk>/notes/", views.note, name="note"),
    path("experiences/<int:pk>/orienter/", views.route, name="route"),
]
