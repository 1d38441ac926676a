"""Read helpers for the pages: each returns what a page shows in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from ecoute.accounts.models import User
from ecoute.catalogue.models import AgentMembership, Organisation

from .models import Category, ModuleStep, Resource, TrainingModule


def categories_with_resources(*, drafts: bool) -> list[Category]:
    """Categories holding at least one visible resource, each with `visible` (two queries)."""
    resources = Resource.objects.all() if drafts else Resource.objects.published()
    categories = (
        Category.objects.filter(resources__in=resources)
        .distinct()
        .prefetch_related(
            Prefetch(
                "resources",
                queryset=resources.order_by("position", "title", "id"),
                to_attr="visible",
            )
        )
    )
    return list(categories)


def modules_for(*, drafts: bool) -> QuerySet[TrainingModule]:
    modules = TrainingModule.objects.all() if drafts else TrainingModule.objects.published()
    return modules.prefetch_related(
        Prefetch("steps", queryset=ModuleStep.objects.select_related("resource"))
    )


def completed_module_ids(user: User) -> set[int]:
    return set(user.module_completions.values_list("module_id", flat=True))


def modules_including(resource: Resource, *, drafts: bool) -> list[TrainingModule]:
    modules = TrainingModule.objects.filter(steps__resource=resource)
    if not drafts:
        modules = modules.published()
    return list(modules.distinct())


@dataclass(frozen=True)
class ModuleCompletionRow:
    module: TrainingModule
    completed: int
    agents: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.agents) if self.agents else 0


def team_of(organisation: Organisation) -> QuerySet[AgentMembership]:
    """Memberships of the organisation and of every organisation below it (its team)."""
    path = organisation.path
    own_path = path if path.endswith(f"/{organisation.pk}/") else f"{path or '/'}{organisation.pk}/"
    return AgentMembership.objects.filter(
        Q(organisation=organisation) | Q(organisation__path__startswith=own_path),
        user__is_active=True,
    )


def completion_for(organisation: Organisation) -> tuple[int, list[ModuleCompletionRow]]:
    """How many active agents the organisation (and those below it) has, and for each
    published module how many of them completed it. Two queries, whatever the sizes."""
    agents = team_of(organisation).values("user_id")
    total = agents.values("user_id").distinct().count()
    modules = TrainingModule.objects.published().annotate(
        done=Count(
            "completions__user",
            filter=Q(completions__user__in=agents),
            distinct=True,
        )
    )
    return total, [ModuleCompletionRow(module, module.done, total) for module in modules]
