from django.urls import path

from . import views

app_name = "remontees"
urlpatterns = [
    path("agent/remontees/", views.remontee_list, name="list"),
    path("agent/remontees/nouvelle/", views.raise_remontee, name="raise"),
    path("agent/remontees/pilotage/", views.steering, name="steering"),
    path("agent/remontees/<int:pk>/", views.remontee_detail, name="detail"),
    path("agent/remontees/<int:pk>/moi-aussi/", views.support, name="support"),
    path("agent/remontees/<int:pk>/statut/", views.set_status, name="status"),
    path("agent/remontees/<int:pk>/synthese/", views.write_summary, name="summary"),
    path("remontees-agents/", views.public_summaries, name="public"),
]
