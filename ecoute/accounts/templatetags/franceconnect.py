"""`{% franceconnect_button next %}`: the DSFR FranceConnect button, only when configured."""

from django import template

from ecoute.accounts.oidc import franceconnect_enabled

register = template.Library()


@register.inclusion_tag("accounts/_franceconnect.html")
def franceconnect_button(next_url: str = "") -> dict[str, object]:
    return {"enabled": franceconnect_enabled(), "next": next_url}
