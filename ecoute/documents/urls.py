from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("services/<int:pk>/document/", views.submit, name="submit"),
    path("documents/", views.document_list, name="list"),
    path("compte/documents/", views.my_documents, name="mine"),
    path("documents/<int:pk>/", views.document_detail, name="detail"),
    path("documents/<int:pk>/original/", views.download_original, name="original"),
    path(
        "documents/<int:pk>/version-simplifiee/",
        views.download_simplified,
        name="simplified_file",
    ),
    path("documents/<int:pk>/repondre/", views.answer, name="answer"),
    path("documents/<int:pk>/publier/", views.moderate, {"decision": "publish"}, name="publish"),
    path("documents/<int:pk>/masquer/", views.moderate, {"decision": "hide"}, name="hide"),
    path("agent/documents/", views.agent_queue, name="agent_queue"),
    path("moderation/documents/", views.moderation_queue, name="moderation_queue"),
]
