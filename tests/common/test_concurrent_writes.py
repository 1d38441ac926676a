"""No 5xx under concurrent writes, on SQLite (a file, as in production) and on PostgreSQL.

A real server (`manage.py runserver`, one thread per request) on its own database receives
simultaneous requests from real threads: ten moderators' clicks publishing ten experiences of
one contact point (one roll-up row for all), and ten sign-ups with the same address.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PARALLEL = 10
# Django's double-submit check: the header must match the cookie; any well-formed secret does.
CSRF = {"csrftoken": "concurrentwritesconcurrentwrites"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_database() -> Iterator[str]:
    """A fresh database on the suite's PostgreSQL server, dropped afterwards."""
    import psycopg

    base = os.environ["DATABASE_URL"]

    url = urlparse(base)
    name = f"{url.path.lstrip('/') or 'ecoute'}_live_{uuid.uuid4().hex[:8]}"
    admin = {"host": url.hostname, "port": url.port or 5432, "user": url.username}
    if url.password:
        admin["password"] = url.password
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class LiveSite:
    def __init__(self, database_url: str) -> None:
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLE": "false",  # many clicks from one address is the point here
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def request(self, method: str, path: str, body: dict | None = None, cookies=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = (cookies or {}).get("csrftoken", "")
        connection.request(method, path, urlencode(body) if body is not None else None, headers)
        response = connection.getresponse()
        response.read()
        connection.close()
        return response


@pytest.fixture(params=["sqlite", "postgresql"])
def live_site(request, tmp_path) -> Iterator[LiveSite]:
    # Each run of the suite (bin/run-tests: SQLite, then PostgreSQL) checks its own database.
    if connection.vendor != request.param:
        pytest.skip(f"checked by the run of the suite on {request.param}")
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'live.sqlite3'}"])
    else:
        urls = _postgres_database()
    site = LiveSite(next(urls))
    try:
        site.run("manage.py", "migrate", "--noinput", "-v", "0")
        log = tmp_path / "server.log"
        with log.open("w") as log_file:
            server = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"127.0.0.1:{site.port}", "--noreload"],
                cwd=ROOT,
                env=site.env,
                stdout=subprocess.DEVNULL,
                stderr=log_file,
            )
            try:
                deadline = time.monotonic() + 60
                while True:
                    try:
                        site.request("GET", "/compte/inscription/")
                        break
                    except OSError:
                        assert time.monotonic() < deadline, "the live server did not start"
                        assert server.poll() is None, log.read_text()
                        time.sleep(0.2)
                yield site
            finally:
                server.terminate()
                server.wait(timeout=10)
    finally:
        for _ in urls:  # drops the PostgreSQL database
            pass


def in_parallel(calls: list) -> list[int]:
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = [0] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        statuses[index] = calls[index]().status

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def test_concurrent_writes_never_answer_5xx(live_site):
    data = json.loads(live_site.run("tests/common/live_site.py", "setup"))
    moderator = {"sessionid": data["session"], **CSRF}

    publishes = [
        lambda pk=pk: live_site.request(
            "POST", f"/experiences/{pk}/publier/", {"next": "/"}, moderator
        )
        for pk in data["experiences"]
    ]
    assert in_parallel(publishes) == [302] * PARALLEL

    signups = []
    for index in range(PARALLEL):
        visitor = dict(CSRF)
        form = {
            "pseudonym": f"Visiteur {index}",
            "email": "meme-adresse@example.org",
            "password": "un-mot-de-passe-solide",
            "accept_charter": "on",
        }
        signups.append(
            lambda form=form, visitor=visitor: live_site.request(
                "POST", "/compte/inscription/", form, visitor
            )
        )
    assert in_parallel(signups) == [302] * PARALLEL

    state = json.loads(
        live_site.run("tests/common/live_site.py", "state", str(data["contact_point"]))
    )
    assert state == {
        "published": PARALLEL,
        "rolled_up": PARALLEL,
        "accounts_with_shared_address": 1,
    }
