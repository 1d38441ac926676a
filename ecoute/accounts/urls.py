from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/verifiez-vos-messages/", views.signup_done, name="signup_done"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("confirmer/<str:token>/", views.confirm_email, name="confirm_email"),
    path("nouveau-lien/", views.resend_confirmation, name="resend_confirmation"),
    path("", views.profile, name="profile"),
]
