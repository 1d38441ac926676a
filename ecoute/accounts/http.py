"""The request a `@login_required` view receives: `user` is a signed-in account.

Use it in the signature of views behind `login_required` only (django-stubs' documented
pattern); everywhere else `request.user` may be an `AnonymousUser`.
"""

from ecoute.common.http import HtmxHttpRequest

from .models import User


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
