"""`manage.py load_demo_data`: demo accounts and a few stories on top of the reference data.

Idempotent. Real data first: the SP+ Pôle emploi experiences come from load_reference_data;
this command publishes some of them (through the moderation action, so the journal shows it)
and adds a handful of experiences marked "generated" on one CAF agency so that its page shows
indicators and answers. The demo usager then uses what a first visit shows: "moi aussi" on a few
real stories, an answer marked useful, follows (the CAF page and a story), one report in the
moderators' queue and two documents sent to the CAF (one answered with a simplified version and
published, one waiting in the agent's and the moderators' queues). The reactions, follows and
report are the demo account's, on real content; the report's comment and the documents are
generated and say so. Every account printed here is for the local demo only.
"""

import datetime as dt
import io
import os
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from ecoute.accounts.models import User
from ecoute.answering import actions as answering_actions
from ecoute.answering.models import AnswerTemplate, TemplateFamily
from ecoute.catalogue.models import AgentMembership, ContactPoint, MembershipRole, Organisation
from ecoute.demo.barometre import load_demo_editions, load_earlier_ratings
from ecoute.demo.debates import load_demo_debates
from ecoute.demo.demarches import load_demo_demarches
from ecoute.demo.indicators import load_demo_measurements, load_demo_ratings
from ecoute.demo.questionnaires import load_demo_questionnaires
from ecoute.demo.remontees import GENERATED_MARK, load_demo_remontees
from ecoute.documents import actions as document_actions
from ecoute.documents.models import Document
from ecoute.experiences import actions
from ecoute.experiences.models import Answer, Experience, ExperienceOrigin, ExperienceStatus
from ecoute.follows import actions as follow_actions
from ecoute.france_services.actions import compute_coverage
from ecoute.inbox import actions as inbox_actions
from ecoute.inbox.models import Handling, InternalNote
from ecoute.moderation import actions as moderation_actions
from ecoute.moderation.models import Report, ReportReason

DEMO_PASSWORD = "ecoute-demo-2026"  # noqa: S105 - printed for the local demo only
# Texts naming a person are left in the queue for a human moderator.
NAMES_A_PERSON = re.compile(r"\b(madame|monsieur|mme|mr|mlle|m\.)\s", re.IGNORECASE)
PUBLISHED_IMPORTS = 60
METOO_STORIES = 3
# (title, what is hard, answer or "" to leave it waiting, simplified version)
GENERATED_DOCUMENTS = [
    (
        "Courrier de demande de pièces justificatives",
        f"{GENERATED_MARK}. Le courrier cite trois articles de loi mais ne dit pas clairement "
        "quelles pièces envoyer ni avant quelle date.",
        "Merci. Ce courrier type sera réécrit ; en attendant, voici ce qu'il demande.",
        "Envoyez-nous avant la date indiquée en haut du courrier : votre dernier avis "
        "d'imposition et vos trois derniers bulletins de salaire. Sans ces pièces, le versement "
        "de vos aides est suspendu.",
    ),
    (
        "Formulaire de déclaration trimestrielle de ressources",
        f"{GENERATED_MARK}. Je ne sais pas s'il faut déclarer les revenus bruts ou nets, ni quoi "
        "mettre pour un mois sans revenu.",
        "",
        "",
    ),
]

# Answer templates of the demo organisations (marked generated; visible to their agents under
# /agent/modeles/ and on the answer-writing page).
GENERATED_TEMPLATES = [
    (
        TemplateFamily.DELAY,
        "Dossier en cours de traitement",
        "Bonjour {pseudonyme},\n\nMerci pour votre message du {date}. Nous sommes désolés du "
        "délai de traitement de votre dossier. Il est en cours d'examen par nos services et "
        "vous recevrez une réponse par courrier ou dans votre espace personnel. Sans nouvelle "
        "sous quinze jours, contactez {service}.\n\n{organisation}",
    ),
    (
        TemplateFamily.RECEPTION,
        "Accueil et temps d'attente",
        "Bonjour {pseudonyme},\n\nMerci d'avoir pris le temps de nous faire part de votre "
        "passage à {service}. L'attente que vous décrivez n'est pas celle que nous voulons "
        "offrir : votre retour est transmis au responsable de l'accueil. Vous pouvez aussi "
        "prendre rendez-vous pour être reçu sans attendre.\n\n{organisation}",
    ),
    (
        TemplateFamily.FILE_ERROR,
        "Erreur dans votre dossier",
        "Bonjour {pseudonyme},\n\nVous avez raison de nous signaler cette erreur. Un conseiller "
        "va reprendre votre dossier et corriger la situation ; vous serez informé de la "
        "régularisation. Nous vous prions de nous excuser pour ce désagrément.\n\n{organisation}",
    ),
    (
        TemplateFamily.ONLINE,
        "Difficulté sur le site ou l'espace personnel",
        "Bonjour {pseudonyme},\n\nNous sommes désolés des difficultés rencontrées en ligne le "
        "{date}. Si le problème persiste, videz le cache de votre navigateur ou utilisez "
        "l'application mobile ; un conseiller de {service} peut aussi vous accompagner dans "
        "votre démarche.\n\n{organisation}",
    ),
    (
        TemplateFamily.THANKS,
        "Remerciement",
        "Bonjour {pseudonyme},\n\nMerci pour votre message, que nous avons transmis à "
        "l'équipe de {service}. Vos encouragements comptent beaucoup pour elle.\n\n"
        "{organisation}",
    ),
]

GENERATED_STORIES = [
    (
        "negative",
        "guichet",
        (2, 1, 3, 2, 4),
        "Deux heures d'attente pour déposer un justificatif",
        "Je suis venue déposer un justificatif de ressources. Il n'y avait qu'un guichet ouvert et "
        "j'ai attendu près de deux heures. L'agente a été aimable mais débordée.",
    ),
    (
        "positive",
        "telephone",
        (5, 4, 4, 5, 5),
        "Un conseiller qui a tout expliqué",
        "J'ai appelé pour comprendre le calcul de ma prime d'activité. Le conseiller a pris "
        "le temps de tout expliquer et m'a envoyé le récapitulatif par courrier.",
    ),
    (
        "negative",
        "en_ligne",
        (2, 3, 2, 1, 3),
        "Impossible de téléverser mon avis d'imposition",
        "Le site refuse mon fichier PDF sans message clair. Après trois essais j'ai dû imprimer et "
        "me déplacer à l'agence pour le donner.",
    ),
    (
        "positive",
        "guichet",
        (4, 4, 5, 4, 5),
        "Accueil sans rendez-vous efficace",
        "Reçu en vingt minutes sans rendez-vous, dossier complété sur place avec l'aide d'une "
        "conseillère. Merci.",
    ),
]

# Generated stories for the agents' inbox (same shape as GENERATED_STORIES).
INBOX_STORIES = [
    (
        "negative",
        "courrier",
        (2, 1, 3, 2, 3),
        "Aucune réponse à mon courrier depuis un mois",
        "J'ai envoyé ma demande de prime d'activité par courrier il y a un mois et je n'ai reçu "
        "ni accusé de réception ni réponse.",
    ),
    (
        "negative",
        "telephone",
        (1, 2, 1, 2, 3),
        "Ligne téléphonique saturée",
        "Après trois appels et quarante minutes d'attente, la communication a été coupée.",
    ),
    (
        "positive",
        "en_ligne",
        (4, 5, 4, 4, 4),
        "Simulateur clair et rapide",
        "Le simulateur en ligne m'a donné une estimation en cinq minutes, conforme au versement.",
    ),
]


class Command(BaseCommand):
    help = "Create demo accounts and demo content (run after load_reference_data)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo users need no e-mail about content this command publishes for them.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._load()

    def _load(self) -> None:
        caf_point = self._caf_contact_point()
        pole_emploi = (
            Organisation.objects.filter(network__slug="pole-emploi", parent__isnull=True)
            .order_by("id")
            .first()
        )
        with transaction.atomic():
            self._user("admin", is_staff=True, is_superuser=True)
            moderator = self._user("moderatrice", is_moderator=True)
            usager = self._user("usager")
            caf_agent = self._user("agent-caf")
            AgentMembership.objects.get_or_create(
                user=caf_agent, organisation=caf_point.organisation
            )
            caf_manager = self._user("responsable-caf")
            AgentMembership.objects.update_or_create(
                user=caf_manager,
                organisation=caf_point.organisation,
                defaults={"role": MembershipRole.MANAGER},
            )
            pe_agent = self._user("agent-pole-emploi")
            if pole_emploi is not None:
                AgentMembership.objects.get_or_create(user=pe_agent, organisation=pole_emploi)
            generated = self._generated_stories(usager, moderator, caf_agent, caf_point)
            self._answer_templates(caf_agent, caf_point.organisation)
            if pole_emploi is not None:
                self._answer_templates(pe_agent, pole_emploi)
            published = self._publish_real_imports(moderator)
            self._usager_activity(usager, moderator, caf_agent, caf_point)
            demarches = load_demo_demarches(moderator=moderator)
            remontees = self._remontees(caf_agent, caf_point, moderator)
            ratings = load_demo_ratings(
                author=usager, moderator=moderator, besides=caf_point.organisation
            )
            measurements = load_demo_measurements(actor=User.objects.get(username="admin"))
            ratings += load_earlier_ratings(author=usager, moderator=moderator)
            self._inbox_activity(usager, moderator, caf_manager, caf_agent, caf_point)
        self.stdout.write(
            f"Demo content: {generated} generated experiences on « {caf_point.name} », "
            f"{published} real SP+ experiences published now; "
            f"{Experience.objects.pending().count()} await moderation; "
            f"{remontees} generated remontées agents; "
            f"{demarches} démarches en ligne (generated observatory figures and reviews); "
            f"{ratings} generated ratings for the indicators"
            + (f". Measurements: {measurements.summary()}" if measurements else ".")
        )
        editions, drafts = load_demo_editions(publisher=User.objects.get(username="admin"))
        self.stdout.write(
            f"Baromètre Services Publics + (/barometre/): {editions} published editions, "
            f"{drafts} draft(s), computed from the demo's real and generated ratings."
        )
        self._france_services_coverage()
        self.stdout.write(load_demo_questionnaires())
        self.stdout.write(
            load_demo_debates(organiser=User.objects.get(username="admin"), password=DEMO_PASSWORD)
        )
        self.stdout.write(
            self.style.SUCCESS(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
        )
        rows = [
            ("admin", "administrateur (Django admin: /admin/)"),
            ("moderatrice", "modératrice (/moderation/)"),
            ("agent-caf", f"agent de « {caf_point.organisation} » (/agent/, remontées)"),
            (
                "responsable-caf",
                f"responsable d'équipe de « {caf_point.organisation} » (/agent/equipe/)",
            ),
            ("agent-caf-2", "agent du réseau CAF (« moi aussi » sur les remontées)"),
            ("agent-pole-emploi", f"agent de « {pole_emploi} »" if pole_emploi else "agent"),
            ("usager", "usager, e-mail confirmé (moi aussi, abonnements, signalement, documents)"),
        ]
        for name, role in rows:
            self.stdout.write(f"  {name:<18} {role}")
        port = os.environ.get("PORT") or "8000"  # make demo serves on $PORT
        self.stdout.write(
            f"  Page d'exemple : http://127.0.0.1:{port}{caf_point.get_absolute_url()}"
        )

    def _france_services_coverage(self) -> None:
        """Real figures from the reference data (/france-services/couverture/)."""
        run = compute_coverage()
        shares = ", ".join(
            f"{figure.minutes} min {figure.share or 0:.1f} %"
            for figure in run.figures.filter(departement__isnull=True).order_by("minutes")
        )
        self.stdout.write(f"France services coverage ({run.points} points): {shares}.")

    def _remontees(self, agent: User, point: ContactPoint, moderator: User) -> int:
        """Generated remontées of the CAF agent, supported by a colleague of another CAF (or
        of the same one), followed up by the admin account (a manager until the role exists)."""
        organisation = point.organisation
        other = (
            Organisation.objects.filter(network_id=organisation.network_id)
            .exclude(pk=organisation.pk)
            .order_by("id")
            .first()
        )
        colleague = self._user("agent-caf-2")
        AgentMembership.objects.get_or_create(user=colleague, organisation=other or organisation)
        return load_demo_remontees(
            author=agent,
            organisation=organisation,
            colleague=colleague,
            moderator=moderator,
            manager=User.objects.get(username="admin"),
        )

    def _caf_contact_point(self) -> ContactPoint:
        """A CAF contact point of the Ain (SP+ lists CAF by their online service)."""
        candidates = ContactPoint.objects.filter(
            organisation__network__slug="cnaf", is_active=True
        ).select_related("organisation")
        point = (
            candidates.filter(departement_id="01").order_by("channel", "id").first()
            or candidates.order_by("channel", "id").first()
        )
        if point is None:
            raise CommandError("No CAF contact point: run `manage.py load_reference_data` first.")
        return point

    def _user(self, name: str, **flags: bool) -> User:
        user, created = User.objects.get_or_create(
            username=name,
            defaults={
                "email": f"{name}@ecoute.demo",
                "email_confirmed_at": timezone.now(),
                **flags,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _generated_stories(
        self, author: User, moderator: User, agent: User, point: ContactPoint
    ) -> int:
        today = timezone.localdate()
        for index, (sentiment, channel, marks, title, body) in enumerate(GENERATED_STORIES):
            key = f"demo:caf:{index}"
            experience = Experience.objects.filter(source_key=key).first()
            if experience is None:
                experience = actions.submit_experience(
                    author=author,
                    contact_point=point,
                    occurred_on=today - dt.timedelta(days=7 * (index + 1)),
                    channel=channel,
                    sentiment=sentiment,
                    ratings=actions.Ratings(*marks),
                    title=title,
                    body=body,
                    origin=ExperienceOrigin.GENERATED,
                    source_key=key,
                )
            if experience.status == ExperienceStatus.PENDING and index < 3:
                actions.publish_experience(actor=moderator, experience=experience)
                experience.refresh_from_db()
            if index == 0 and not experience.answers.exists():
                actions.answer_experience(
                    author=agent,
                    experience=experience,
                    body=(
                        "Merci pour votre témoignage. Depuis ce mois-ci, un second guichet est "
                        "ouvert le lundi et le mardi matin, nos jours les plus chargés."
                    ),
                )
        return len(GENERATED_STORIES)

    def _answer_templates(self, agent: User, organisation: Organisation) -> None:
        """A few templates per demo organisation, marked generated (idempotent by title)."""
        existing = set(
            AnswerTemplate.objects.filter(organisation=organisation).values_list("title", flat=True)
        )
        for family, title, body in GENERATED_TEMPLATES:
            if title not in existing:
                answering_actions.create_answer_template(
                    actor=agent,
                    organisation=organisation,
                    family=family,
                    title=title,
                    body=body,
                    is_generated=True,
                )

    def _publish_real_imports(self, moderator: User) -> int:
        if Experience.objects.filter(
            origin=ExperienceOrigin.IMPORTED, status=ExperienceStatus.PUBLISHED
        ).exists():
            return 0
        published = 0
        for experience in Experience.objects.filter(
            origin=ExperienceOrigin.IMPORTED, status=ExperienceStatus.PENDING, masked_items=0
        ).order_by("id"):
            if published >= PUBLISHED_IMPORTS:
                break
            if NAMES_A_PERSON.search(experience.body):
                continue
            actions.publish_experience(
                actor=moderator,
                experience=experience,
                reason="Démo : expérience réelle publiée par Services Publics + (open data DITP)",
            )
            published += 1
        return published

    def _usager_activity(
        self, usager: User, moderator: User, agent: User, point: ContactPoint
    ) -> None:
        """What a visitor's account does after a first visit, so that each page has content."""
        real = Experience.objects.filter(
            origin=ExperienceOrigin.IMPORTED, status=ExperienceStatus.PUBLISHED
        ).order_by("id")
        for experience in real[:METOO_STORIES]:
            actions.set_metoo(user=usager, experience=experience, active=True)
        answer = Answer.objects.filter(experience__source_key="demo:caf:0").first()
        if answer is not None:
            actions.set_answer_useful(user=usager, answer=answer, active=True)
        follow_actions.follow_target(user=usager, target=point)
        followed = real.first()
        if followed is not None:
            follow_actions.follow_target(user=usager, target=followed)
        reported = real.order_by("-id").first()
        if reported is not None and not Report.objects.filter(reporter=usager).exists():
            moderation_actions.report_content(
                reporter=usager,
                target=reported,
                reason=ReportReason.OFF_TOPIC,
                comment=f"{GENERATED_MARK} : ce récit parle de deux agences différentes.",
            )
        for title, difficulty, answer_text, simplified in GENERATED_DOCUMENTS:
            if Document.objects.filter(author=usager, title=title).exists():
                continue
            document = document_actions.submit_document(
                author=usager,
                contact_point=point,
                title=title,
                difficulty=difficulty,
                file_data=_generated_pdf(title),
            )
            if answer_text:
                document_actions.answer_document(
                    author=agent,
                    document=document,
                    answer=answer_text,
                    simplified_text=simplified,
                )
                document_actions.publish_document(actor=moderator, document=document)

    def _inbox_activity(
        self, author: User, moderator: User, manager: User, agent: User, point: ContactPoint
    ) -> None:
        """A few more generated stories for the agents' inbox: one the manager assigned to the
        agent, with an internal note; the others waiting for someone to take them."""
        today = timezone.localdate()
        experiences = []
        for index, (sentiment, channel, marks, title, body) in enumerate(INBOX_STORIES):
            key = f"demo:caf:inbox:{index}"
            experience = Experience.objects.filter(source_key=key).first()
            if experience is None:
                experience = actions.submit_experience(
                    author=author,
                    contact_point=point,
                    occurred_on=today - dt.timedelta(days=index + 1),
                    channel=channel,
                    sentiment=sentiment,
                    ratings=actions.Ratings(*marks),
                    title=title,
                    body=f"{body} ({GENERATED_MARK}.)",
                    origin=ExperienceOrigin.GENERATED,
                    source_key=key,
                )
            if experience.status == ExperienceStatus.PENDING:
                actions.publish_experience(actor=moderator, experience=experience)
                experience.refresh_from_db()
            experiences.append(experience)
        first = experiences[0]
        handling = Handling.objects.filter(experience=first).first()
        if handling is not None and handling.assignee_id is None and not first.is_answered:
            inbox_actions.assign_experience(actor=manager, experience=first, assignee=agent)
        if not InternalNote.objects.filter(experience=first).exists():
            inbox_actions.add_note(
                actor=agent,
                experience=first,
                body=f"{GENERATED_MARK} : usager rappelé, pièce manquante demandée par courrier.",
            )


def _generated_pdf(title: str) -> bytes:
    """A one-page PDF that says what it is (the demo has no real letter to show)."""
    image = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(image)
    draw.text((40, 40), GENERATED_MARK, fill="black")
    draw.text((40, 80), title, fill="black")
    data = io.BytesIO()
    image.save(data, format="PDF")
    return data.getvalue()
