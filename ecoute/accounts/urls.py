from django.urls import path

from . import oidc, views

app_name = "accounts"
urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", oidc.LogoutView.as_view(), name="logout"),
    path("confirmer/<str:token>/", views.confirm_email, name="confirm_email"),
    path("nouveau-lien/", views.resend_confirmation, name="resend_confirmation"),
    path("", views.profile, name="profile"),
]
