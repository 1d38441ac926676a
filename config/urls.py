from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("compte/franceconnect/", include("ecoute.accounts.oidc_urls")),
    path("compte/", include("ecoute.accounts.urls")),
    path("services/", include("ecoute.catalogue.urls")),
    path("engagements/", include("ecoute.catalogue.engagement_urls")),
    path("", include("ecoute.experiences.urls")),
    path("", include("ecoute.documents.urls")),
    path("", include("ecoute.answering.urls")),
    path("agent/", include("ecoute.inbox.urls")),
    path("moderation/", include("ecoute.moderation.urls")),
    path("abonnements/", include("ecoute.follows.urls")),
    path("", include("ecoute.remontees.urls")),
    path("ressources/", include("ecoute.resources.urls")),
    path("france-services/", include("ecoute.france_services.urls")),
    path("", include("ecoute.demarches.urls")),
    path("barometre-resultats/", include("ecoute.policies.urls")),
    path("barometre/", include("ecoute.barometre.urls")),
    path("", include("ecoute.consultations.urls")),
    path("consultations/", include("ecoute.questionnaires.urls")),
    path("consultations/", include("ecoute.debates.urls")),
    path("", include("ecoute.indicators.urls")),
    path("", include("ecoute.ui.urls")),
]

if settings.DEBUG:  # pragma: no cover - static files are served by whitenoise in production
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
