"""`{% franceconnect_button next %}`: the DSFR FranceConnect button, only when configured."""

from django import template

from ecoute.accounts.oidc import franceconnect_enabled

register = template.Library()


@register.inclusion_tag("accounts/_franceconnect.html")
def franceconnect_button(next_url: str = "", alone: bool = False) -> dict[str, object]:
    """`alone`: no "ou" separator (the button is the only way on, e.g. to re-authenticate)."""
    return {"enabled": franceconnect_enabled(), "next": next_url, "alone": alone}
