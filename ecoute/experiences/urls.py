from django.urls import path

from . import answer_views, author_views, views

app_name = "experiences"
urlpatterns = [
    path("services/<int:pk>/", views.contact_point_page, name="contact_point"),
    path("services/<int:pk>/raconter/", views.tell_experience, name="tell"),
    path("experiences/", views.experience_list, name="list"),
    path("experiences/<int:pk>/", views.experience_detail, name="detail"),
    path("experiences/<int:pk>/repondre/", answer_views.answer, name="answer"),
    path("reponses/<int:pk>/modifier/", answer_views.edit_answer, name="answer_edit"),
    path("reponses/<int:pk>/historique/", answer_views.answer_history, name="answer_history"),
    path("experiences/<int:pk>/moi-aussi/", views.metoo, name="metoo"),
    path("reponses/<int:pk>/utile/", views.answer_useful, name="answer_useful"),
    path("experiences/<int:pk>/publier/", views.moderate, {"decision": "publish"}, name="publish"),
    path("experiences/<int:pk>/masquer/", views.moderate, {"decision": "hide"}, name="hide"),
    path("moderation/experiences/", views.moderation_queue, name="moderation_queue"),
    # An author's own experiences (author_views.py)
    path("compte/contributions/", author_views.my_contributions, name="my_contributions"),
    path("experiences/<int:pk>/modifier/", author_views.edit_experience, name="edit"),
    path("experiences/<int:pk>/retirer/", author_views.withdraw_experience, name="withdraw"),
]
urlpatterns += [
    path("services/<int:pk>/raconter/envoyee/", views.tell_sent, name="tell_sent"),
    path("experiences/confirmer/<str:token>/", views.confirm_guest, name="confirm_guest"),
]
