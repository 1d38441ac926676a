"""`{% follow_state target as state %}`: what the follow button of a page shows (one query)."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from ecoute.catalogue.models import ContactPoint
from ecoute.experiences.models import Experience

from ..permissions import can_follow
from ..queries import find_follow

register = template.Library()

KINDS = {ContactPoint: "service", Experience: "experience"}


@dataclass(frozen=True)
class FollowState:
    kind: str
    pk: int
    following: bool
    allowed: bool
    signed_in: bool

    @property
    def follow_url(self) -> str:
        return reverse("follows:follow", args=[self.kind, self.pk])

    @property
    def unfollow_url(self) -> str:
        return reverse("follows:unfollow", args=[self.kind, self.pk])


def state_for(user: object, target: ContactPoint | Experience) -> FollowState:
    signed_in = bool(getattr(user, "is_authenticated", False))
    return FollowState(
        kind=KINDS[type(target)],
        pk=target.pk,
        following=signed_in and find_follow(user, target) is not None,  # type: ignore[arg-type]
        allowed=can_follow(user, target),  # type: ignore[arg-type]
        signed_in=signed_in,
    )


@register.simple_tag(takes_context=True)
def follow_state(context: template.Context, target: ContactPoint | Experience) -> FollowState:
    return state_for(context["request"].user, target)
