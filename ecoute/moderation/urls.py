from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("decider/", views.decide, name="decide"),
    path("elements/<int:pk>/", views.item_detail, name="item"),
    path("elements/<int:pk>/masques/", views.edit_masks, name="edit_masks"),
    path("corbeille/", views.trash, name="trash"),
    path("journal/", views.journal, name="journal"),
    path("signaler/<str:key>/<int:pk>/", views.report, name="report"),
    # The former reports page, now the queue's "Signalés seulement" filter (old links work).
    path("signalements/", views.reports, name="reports"),
]
