"""`{% engagements_for network_id as engagements %}`: the engagements a service shows.

A tag rather than a view variable so the contact point page (owned by experiences) only
includes `catalogue/_engagements.html`; it costs one query.
"""

from django import template

from ecoute.catalogue.engagements import engagements_for_network
from ecoute.catalogue.models import Engagement

register = template.Library()


@register.simple_tag
def engagements_for(network_id: int | None) -> list[Engagement]:
    return list(engagements_for_network(network_id))
