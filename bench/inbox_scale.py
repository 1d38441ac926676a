"""The agents' inbox and dashboard at 1 M (or 10 M) experiences against 10 k, on PostgreSQL
(issue 9: p95 at 10 M ≤ 1.2 × at 10 k, bounded query counts).

Each volume lives in its own database on the same server (`ecoute_bench_inbox_10k`,
`ecoute_bench_inbox_1m`, `ecoute_bench_inbox_10m`), migrated and filled by COPY: a tree of
12 networks × (head → 10 directions → 10 agencies), two contact points per agency, `size`
experiences spread over the agencies with a Zipf skew (the largest agency holds ~9 %: about
900 k of 10 M, the issue's "organisation with 700 k"), 95 % published; of these 70 % answered
(SP+: about three quarters), 2 % escalated, 10 % of the open ones assigned to one of ten
agents of their agency; each published experience has its Handling row and one inbox entry
per organisation of its chain (agency, direction, head). A database already generated with the
same size and generator version is reused.

Timing: as bench/pages_scale.py — two worker processes (one per database) running Django's
test client in-process, signed in as the manager of the largest agency (also an agent of its
network's head); requests alternate between them in rounds of 5 after a warm-up; p50 / p95,
their ratio large / small, and each page's database cost (buffers touched by its SELECTs,
rows thrown away by filters), which the machine's load does not change.

    .venv/bin/python -m bench.inbox_scale                      # 10 k vs 1 M
    .venv/bin/python -m bench.inbox_scale --sizes 10000 10000000
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres  (default)

Generated data is marked: experiences have `source_key` "bench-inbox:<id>", organisations and
accounts are named "bench-inbox-…".
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench import pages_scale
from bench.pages_scale import (
    _copy,
    _copy_fields,
    _drop_secondary_indexes,
    _restore_indexes,
    _row,
    _stamp,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
GENERATOR_VERSION = "1"
NETWORKS = 12
DIRECTIONS = 10
AGENCIES = 10
AGENTS = 10
PUBLISHED_SHARE = 0.95
ANSWERED_SHARE = 0.70
ESCALATED_SHARE = 0.02
ASSIGNED_SHARE = 0.10
ZIPF = 0.9
CHUNK = 100_000
MANAGER = "bench-inbox-manager"
MODULE = "bench.inbox_scale"
CHANNELS = ["guichet", "telephone", "en_ligne", "courrier"]


def database_name(size: int) -> str:
    label = f"{size // 1_000_000}m" if size >= 1_000_000 else f"{size // 1_000}k"
    return f"ecoute_bench_inbox_{label}"


def _tree() -> tuple[list[list[int]], list[list[int]], dict[int, int]]:
    """Create the organisation tree; return each agency's chain [agency, direction, head],
    each agency's contact points, and each head's network."""
    from ecoute.catalogue.models import ContactPoint, Network, Organisation

    chains, points, networks = [], [], {}
    for n in range(NETWORKS):
        network = Network.objects.create(slug=f"bench-inbox-{n}", name=f"Réseau bench {n}")
        head = Organisation.objects.create(name=f"bench-inbox-tête-{n}", network=network)
        head.path = f"/{head.pk}/"
        head.save(update_fields=["path"])
        networks[head.pk] = network.pk
        for d in range(DIRECTIONS):
            direction = Organisation.objects.create(
                name=f"bench-inbox-direction-{n}-{d}", network=network, parent=head
            )
            direction.path = f"{head.path}{direction.pk}/"
            direction.save(update_fields=["path"])
            for a in range(AGENCIES):
                # The first agency sorts first by name: the manager's default inbox.
                name = (
                    "bench-inbox-a-principale"
                    if (n, d, a) == (0, 0, 0)
                    else (f"bench-inbox-agence-{n}-{d}-{a}")
                )
                agency = Organisation.objects.create(name=name, network=network, parent=direction)
                agency.path = f"{direction.path}{agency.pk}/"
                agency.save(update_fields=["path"])
                chains.append([agency.pk, direction.pk, head.pk])
                points.append(
                    [
                        ContactPoint.objects.create(
                            organisation=agency, channel=channel, name=f"{name} — {channel}"
                        ).pk
                        for channel in ("guichet", "telephone")
                    ]
                )
    return chains, points, networks


def _agents(chain: list[int]) -> list[int]:
    """The manager (of the largest agency, agent of its head) and ten agents of that agency."""
    from ecoute.accounts.models import User
    from ecoute.catalogue.models import AgentMembership, MembershipRole

    def user(name: str) -> User:
        return User.objects.create(username=name, email=f"{name}@example.invalid", password="!")

    manager = user(MANAGER)
    AgentMembership.objects.create(
        user=manager, organisation_id=chain[0], role=MembershipRole.MANAGER
    )
    AgentMembership.objects.create(user=manager, organisation_id=chain[2])
    agents = [manager.pk]
    for index in range(1, AGENTS):
        agent = user(f"bench-inbox-agent-{index}")
        AgentMembership.objects.create(user=agent, organisation_id=chain[0])
        agents.append(agent.pk)
    return agents


def generate(size: int) -> dict[str, Any]:
    """Fill the current database (DATABASE_URL) with `size` experiences; reuse when stamped."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ecoute.accounts.models import User
    from ecoute.catalogue.models import Network
    from ecoute.experiences.models import Experience
    from ecoute.inbox.models import Handling, InboxEntry

    description = f"inbox v{GENERATOR_VERSION} size={size}"
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        if _stamp(cursor) == description:
            return {"reused": True, "size": size}
    start = time.perf_counter()
    with connection.cursor() as cursor:
        # A database of its own: every generated row goes (networks cascade to organisations,
        # contact points, experiences, handling, entries and memberships).
        cursor.execute(f'TRUNCATE "{Network._meta.db_table}" CASCADE')
        cursor.execute("DELETE FROM bench_stamp")
    User.objects.filter(username__startswith="bench-inbox-").delete()
    chains, points, networks = _tree()
    agents = _agents(chains[0])
    rng = random.Random(size)
    rest = list(range(1, len(chains)))
    rng.shuffle(rest)  # the heavy ones spread over networks
    order = [0, *rest]  # the manager's agency is the largest
    weights = [1 / (rank + 1) ** ZIPF for rank in range(len(order))]
    total, running, cumulative = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        cumulative.append(running)
    experience_fields = _copy_fields(Experience)
    handling_fields = _copy_fields(Handling)
    entry_fields = _copy_fields(InboxEntry)
    tables = [model._meta.db_table for model in (Experience, Handling, InboxEntry)]
    dropped = _drop_secondary_indexes(connection, tables)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER ALL')
    epoch = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    now = dt.datetime.now(dt.UTC)
    span = (now - epoch).total_seconds()
    delay = dt.timedelta(days=15)
    texts = [
        "Deux heures d'attente au guichet pour un simple justificatif, personne ne répond.",
        "Dossier perdu deux fois, il a fallu tout renvoyer par courrier recommandé.",
        "Accueil aimable, mais le site ne permet pas de prendre rendez-vous en ligne.",
    ]
    raw = connection.connection
    next_id = entry_id = 1
    for chunk_start in range(0, size, CHUNK):
        count = min(CHUNK, size - chunk_start)
        experiences, handlings, entries = io.StringIO(), io.StringIO(), io.StringIO()
        for _ in range(count):
            agency = order[min(bisect.bisect(cumulative, rng.random()), len(order) - 1)]
            chain = chains[agency]
            point = points[agency][rng.randrange(2)]
            created = epoch + dt.timedelta(seconds=rng.random() * span)
            published = rng.random() < PUBLISHED_SHARE
            published_at = created + dt.timedelta(hours=1) if published else None
            answered = published and rng.random() < ANSWERED_SHARE
            channel = CHANNELS[rng.randrange(4)]
            sentiment = "positive" if rng.random() < 0.4 else "negative"
            experiences.write(
                _row(
                    experience_fields,
                    {
                        "id": next_id,
                        "contact_point_id": point,
                        "network_id": networks[chain[2]],
                        "channel": channel,
                        "sentiment": sentiment,
                        "title": f"Expérience générée n° {next_id}",
                        "body": texts[next_id % 3],
                        "status": "published" if published else "pending",
                        "origin": "generated",
                        "source_key": f"bench-inbox:{next_id}",
                        "created_at": created,
                        "published_at": published_at,
                        "organisation_id": chain[0],
                        "handling_organisation_id": chain[0] if published else None,
                        "is_answered": answered,
                    },
                )
            )
            if published_at is not None:
                escalated = not answered and rng.random() < ESCALATED_SHARE
                assignee = (
                    agents[rng.randrange(AGENTS)]
                    if agency == 0 and not answered and rng.random() < ASSIGNED_SHARE
                    else None
                )
                state = (
                    "repondu"
                    if answered
                    else "escalade"
                    if escalated
                    else "en_cours"
                    if assignee
                    else "a_traiter"
                )
                due = published_at + delay
                handlings.write(
                    _row(
                        handling_fields,
                        {
                            "experience_id": next_id,
                            "assignee_id": assignee,
                            "assigned_at": published_at if assignee else None,
                            "due_at": due,
                            "escalated_at": due if escalated else None,
                            "escalated_to_id": chain[1] if escalated else None,
                            "escalates_at": None,
                        },
                    )
                )
                for organisation in chain:
                    entries.write(
                        _row(
                            entry_fields,
                            {
                                "id": entry_id,
                                "organisation_id": organisation,
                                "experience_id": next_id,
                                "is_handler": organisation == (chain[1] if escalated else chain[0]),
                                "state": state,
                                "is_open": not answered,
                                "assignee_id": assignee,
                                "contact_point_id": point,
                                "channel": channel,
                                "sentiment": sentiment,
                                "published_at": published_at,
                                "due_at": due,
                            },
                        )
                    )
                    entry_id += 1
            next_id += 1
        _copy(raw, tables[0], experience_fields, experiences)
        _copy(raw, tables[1], handling_fields, handlings)
        _copy(raw, tables[2], entry_fields, entries)
        print(f"  {database_name(size)}: {chunk_start + count:,} / {size:,}", file=sys.stderr)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER ALL')
        for table in (tables[0], tables[2]):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
            )
    _restore_indexes(connection, dropped)
    raw.autocommit = True
    raw.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_stamp (description) VALUES (%s)", [description])
    return {"reused": False, "size": size, "seconds": round(time.perf_counter() - start, 1)}


# --- timing (worker processes) ------------------------------------------------------------


def worker() -> None:
    """Read URLs on stdin, answer one JSON line of timings each (`--worker`)."""
    pages_scale.signed_in_worker(MANAGER, _setup_urls)


def _setup_urls() -> dict[str, str]:
    """URLs named after what they show; ids are those of this database."""
    from urllib.parse import urlencode

    from ecoute.catalogue.models import AgentMembership
    from ecoute.common.pagination import _encode, _salt
    from ecoute.inbox.models import InboxEntry
    from ecoute.inbox.queries import OLDEST_FIRST

    memberships = {
        m.role: m.organisation
        for m in AgentMembership.objects.filter(user__username=MANAGER).select_related(
            "organisation"
        )
    }
    agency, head = memberships["responsable"], memberships["agent"]
    point = agency.contact_points.order_by("id").first()
    assert point is not None
    urls = {
        "inbox, agency": "/agent/",
        "inbox, agency, telephone": "/agent/?canal=telephone",
        "inbox, agency, positive": "/agent/?ressenti=positive",
        "inbox, agency, unassigned": "/agent/?attribution=personne",
        "inbox, agency, assigned to me": "/agent/?attribution=moi",
        "inbox, agency, contact point": f"/agent/?point={point.pk}",
        "inbox, agency, answered": "/agent/?etat=repondu",
        "inbox, agency, escalated": "/agent/?etat=escalade",
        "inbox, network head": f"/agent/?organisation={head.pk}",
        "inbox, network head, negative": f"/agent/?organisation={head.pk}&ressenti=negative",
        "dashboard, agency": "/agent/tableau-de-bord/",
        "dashboard, network head": f"/agent/tableau-de-bord/?organisation={head.pk}",
        "team, agency": "/agent/equipe/",
    }
    open_entries = InboxEntry.objects.filter(organisation=agency, is_open=True)
    count = min(open_entries.count(), 200_000)
    row = open_entries.order_by(*OLDEST_FIRST).values_list(*OLDEST_FIRST)[count // 2]
    cursor = _encode(list(row), salt=_salt(InboxEntry, OLDEST_FIRST))
    urls["inbox, agency, halfway"] = f"/agent/?{urlencode({'apres': cursor})}"
    return urls


def main() -> None:
    pages_scale.comparison_main(
        description=__doc__ or "",
        label="inbox_scale",
        module=MODULE,
        name_of=database_name,
        generate=generate,
        worker=worker,
        sizes=[10_000, 1_000_000],
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    main()
