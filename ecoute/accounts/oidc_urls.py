"""FranceConnect URLs (namespace `franceconnect`); 404 while it is not configured."""

from django.urls import path

from . import oidc

app_name = "franceconnect"
urlpatterns = [
    path("connexion/", oidc.LoginView.as_view(), name="login"),
    path("retour/", oidc.CallbackView.as_view(), name="callback"),
]
