"""Real concurrent clicks in tests: one thread per click, each with its own connection."""

import threading

from django.db import connection
from django.test import Client


def click_at_once(urls_and_users: list[tuple[str, object]], data: dict) -> list[int]:
    """POST from one thread per (url, user), all released together; the status codes."""
    barrier = threading.Barrier(len(urls_and_users), timeout=30)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def click(url: str, user) -> None:
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=pair) for pair in urls_and_users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return statuses
