"""Who may do what with the indicators. Every page of the results is public."""

from django.contrib.auth.models import AnonymousUser

from ecoute.accounts.models import User


def can_import_indicators(user: User | AnonymousUser) -> bool:
    """Administrators, and staff given the right to add measurements (e.g. a network's data
    officer): importing changes published figures."""
    return bool(user.is_active and user.is_staff and user.has_perm("indicators.add_measurement"))
