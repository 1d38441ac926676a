from django.urls import path

from . import views

app_name = "demarches"
urlpatterns = [
    path("demarches/", views.observatory, name="list"),
    path("demarches/observatoire.csv", views.observatory_csv, name="csv"),
    path("demarches/proposer/", views.propose, name="propose"),
    path("demarches/propositions/", views.proposals, name="proposals"),
    path("demarches/propositions/<int:pk>/", views.proposal_detail, name="proposal"),
    path("demarches/propositions/<int:pk>/decision/", views.decide_proposal, name="decide"),
    path("demarches/<slug:slug>/", views.demarche_detail, name="detail"),
    path("demarches/<slug:slug>/avis/", views.give_feedback, name="feedback"),
    path("demarches/<slug:slug>/avis/merci/", views.feedback_thanks, name="thanks"),
    path("moments-de-vie/", views.moments, name="moments"),
    path("moments-de-vie/<slug:slug>/", views.moment_detail, name="moment"),
]
