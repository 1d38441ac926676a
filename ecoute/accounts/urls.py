from django.urls import path

from . import oidc, selfservice_views, views

app_name = "accounts"
urlpatterns = [
    path("inscription/", views.signup, name="signup"),
    path("inscription/verifiez-vos-messages/", views.signup_done, name="signup_done"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", oidc.LogoutView.as_view(), name="logout"),
    path("confirmer/<str:token>/", views.confirm_email, name="confirm_email"),
    path("nouveau-lien/", views.resend_confirmation, name="resend_confirmation"),
    path("", views.profile, name="profile"),
    # Self-service (selfservice_views.py)
    path(
        "mot-de-passe/oublie/",
        selfservice_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oublie/envoye/",
        selfservice_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/reinitialiser/<uidb64>/<token>/",
        selfservice_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/reinitialise/",
        selfservice_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe/",
        selfservice_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("adresse/", selfservice_views.change_email, name="change_email"),
    path(
        "adresse/confirmer/<str:token>/",
        selfservice_views.confirm_email_change,
        name="confirm_email_change",
    ),
    path("mes-donnees.json", selfservice_views.export_data, name="export_data"),
    path("supprimer/", selfservice_views.delete_account, name="delete_account"),
]
