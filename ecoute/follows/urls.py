from django.urls import path

from . import views

app_name = "follows"
urlpatterns = [
    path("", views.follow_list, name="list"),
    path("preferences/", views.preferences, name="preferences"),
    path("suivre/<str:kind>/<int:pk>/", views.follow, name="follow"),
    path("ne-plus-suivre/<str:kind>/<int:pk>/", views.unfollow, name="unfollow"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
