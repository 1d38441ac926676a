from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User
from .queries import user_for_identifier


class EmailOrPseudonymBackend(ModelBackend):
    """Log in with the pseudonym or the e-mail address, case-insensitively."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: object,
    ) -> User | None:
        if not username or not password:
            return None
        user = user_for_identifier(username)
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
