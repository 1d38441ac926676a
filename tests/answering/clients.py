from django.test import Client


def client_for(user) -> Client:  # noqa: ANN001
    """A test client signed in as `user` (anonymous for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
