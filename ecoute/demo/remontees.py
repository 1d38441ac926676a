"""Demo remontées agents: a few generated difficulties raised by the demo CAF agent, so that the
agents' list, a remontée's page, the steering view and the public summaries have content.
Each text says it is generated (marked like the demo's other generated content); each row has
a `source_key` "demo:remontee:N" so that loading again changes nothing."""

from ecoute.accounts.models import User
from ecoute.catalogue.models import Organisation
from ecoute.demarches.models import Demarche
from ecoute.moderation import actions as moderation
from ecoute.remontees import actions
from ecoute.remontees.models import Remontee, Status

GENERATED_MARK = "Exemple généré pour la démo"
# (kind, scope, démarche, theme, title, description, published, status, summary or "")
GENERATED_REMONTEES = [
    (
        "outil",
        "reseau",
        "",
        "outils-numeriques",
        "Le logiciel de gestion des dossiers se fige à la validation",
        "Depuis la dernière mise à jour, l'écran se fige à chaque validation d'un dossier : il "
        "faut tout ressaisir, ce qui allonge l'attente des allocataires.",
        True,
        Status.STUDYING,
        "Le blocage est connu de l'éditeur ; un correctif est prévu pour le mois prochain. En "
        "attendant, une procédure de contournement a été diffusée aux agents.",
    ),
    (
        "regle",
        "demarche",
        "Demande de prime d'activité en ligne",
        "demarches-en-ligne",
        "Le formulaire en ligne ne prévoit pas les revenus saisonniers",
        "Les allocataires saisonniers ne trouvent pas où déclarer des revenus irréguliers et "
        "viennent à l'accueil pour se faire aider.",
        True,
        Status.RECEIVED,
        "",
    ),
    (
        "processus",
        "organisation",
        "",
        "organisation-du-travail",
        "Les rendez-vous du lundi sont toujours surchargés",
        "Le planning ne tient pas compte du pic du lundi matin : deux agents seulement pour "
        "l'accueil sans rendez-vous.",
        True,
        Status.TAKEN_INTO_ACCOUNT,
        "",
    ),
    (
        "outil",
        "reseau",
        "",
        "formation",
        "Pas de formation au nouvel outil de prise de rendez-vous",
        "L'outil a été déployé sans formation : chacun apprend seul et les erreurs de créneau "
        "se multiplient.",
        False,
        Status.RECEIVED,
        "",
    ),
]


def load_demo_remontees(
    *, author: User, organisation: Organisation, colleague: User, moderator: User, manager: User
) -> int:
    """Raise, publish, support, follow up and summarise the generated remontées (idempotent);
    returns how many exist."""
    for index, row in enumerate(GENERATED_REMONTEES):
        kind, scope, demarche, theme, title, description, publish, status, summary = row
        key = f"demo:remontee:{index}"
        remontee = Remontee.objects.filter(source_key=key).first()
        if remontee is not None:
            continue
        remontee = actions.raise_remontee(
            author=author,
            organisation=organisation,
            kind=kind,
            scope=scope,
            demarche_name=demarche,
            # The observatory's démarche of that name, when the demo loaded it.
            demarche=Demarche.objects.filter(name=demarche).first() if demarche else None,
            theme=theme,
            title=title,
            description=f"{GENERATED_MARK}. {description}",
            source_key=key,
        )
        if not publish:
            continue
        moderation.publish(actor=moderator, target=remontee, reason="Démo")
        remontee.refresh_from_db()
        actions.set_support(user=colleague, remontee=remontee, active=True)
        if status != Status.RECEIVED:
            actions.set_remontee_status(
                actor=manager, remontee=remontee, status=status, comment=GENERATED_MARK
            )
        if summary:
            written = actions.write_public_summary(
                actor=manager,
                remontee=remontee,
                title="Un correctif du logiciel de gestion est prévu",
                body=f"{GENERATED_MARK}. {summary}",
            )
            moderation.publish(actor=moderator, target=written, reason="Démo")
    return Remontee.objects.filter(source_key__startswith="demo:remontee:").count()
