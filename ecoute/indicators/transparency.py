"""The transparency rate (issue 10): the share of public services that publish their results.

Defined here once; the pages read it (`/resultats/transparence/`, and the network and
département results pages). Decision record: docs/decisions/0022-transparency-rate.md.

The State's indicator (baromètre des résultats 2023, `tx-transparence-resultats`, "Part des
lieux d'accueil du public qui publient leurs résultats") counts the reception sites of about
fifty networks that publish on resultats-services-publics.fr, each network at the finest level
it publishes (a network publishing for the whole country counts as publishing in every
département). Écoute follows it as closely as its data allows:

- a **service** is an active counter of the directory (`Channel.COUNTER`): a *lieu d'accueil
  du public*. Phone lines and online démarches are not places and are not counted;
- it **publishes its results** for a semester when at least one of the eight indicators has a
  *published* value for that semester (sample at least `ECOUTE_INDICATOR_MIN_SAMPLE`, the
  rule of `queries.IndicatorValue.sufficient`) at the counter itself — its users' ratings or
  measurements imported for it — or in measurements imported for its organisation or an
  organisation above it (a CAF publishing for its département, a network's head for the
  country: the State's "finest level available");
- the **rate** of a scope (network, département, région, France) is the number of its counters
  that publish ÷ its counters: two counts, so that every level adds up exactly.

For the comparison with the State, two figures follow the State's own method: per
département, the unweighted mean of the networks' rates (`network_mean`); nationally, the
share of networks that publish in more than two thirds of their counters
(`transparent_networks`).

Cost: two queries whatever the volume. The counters are grouped by (network, département,
région) in one statement, tested against the contact-point roll-up rows of one semester
(`_on_the_counter`); experiences are never read.
"""

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, reduce

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Q, Sum
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from ecoute.catalogue.models import Channel, ContactPoint, Organisation

from .definitions import BY_SLUG, INDICATORS
from .models import (
    IndicatorRollup,
    Measurement,
    PeriodKind,
    ScopeKind,
    next_semester,
    previous_semester,
    semester_start,
)

# What the rate counts: the places where the public is received.
SERVICE_CHANNEL = Channel.COUNTER
# The State's rule for its national figure: a network is transparent when it publishes in
# more than two thirds of its sites.
TRANSPARENT_NETWORK_SHARE = Fraction(2, 3)


def definition() -> list[tuple[str, str]]:
    """The definition as shown on the pages: (term, what it means)."""
    minimum = max(1, min(indicator.minimum_sample for indicator in INDICATORS))
    return [
        (
            _("Un service"),
            _(
                "un lieu d'accueil du public : un guichet en activité de l'annuaire d'Écoute. "
                "Les lignes téléphoniques et les démarches en ligne ne sont pas des lieux et ne "
                "sont pas comptées."
            ),
        ),
        (
            _("Publie ses résultats"),
            _(
                "quand au moins un des huit indicateurs a une valeur publiée pour le semestre "
                "(échantillon d'au moins %(minimum)s) au guichet lui-même — notes de ses "
                "usagers ou mesures importées pour lui — ou dans les mesures importées pour son "
                "organisation ou une organisation au-dessus d'elle : la maille la plus fine "
                "que publie le service, comme pour l'indicateur de l'État."
            )
            % {"minimum": minimum},
        ),
        (
            _("Le taux"),
            _(
                "lieux d'accueil qui publient ÷ lieux d'accueil, comptés sur le périmètre "
                "(réseau, département, région, France) : jamais une moyenne de taux."
            ),
        ),
    ]


# --- Semesters ---------------------------------------------------------------------------


def latest_complete_semester(today: dt.date) -> dt.date:
    """The newest semester that has ended before `today`."""
    return previous_semester(semester_start(today))


def complete_semesters(today: dt.date, count: int = 4) -> list[dt.date]:
    """The `count` newest ended semesters, the newest first."""
    semesters = [latest_complete_semester(today)]
    while len(semesters) < count:
        semesters.append(previous_semester(semesters[-1]))
    return semesters


# --- Counts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """`published` services out of `total`."""

    published: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        """Percentage; None when there is no service."""
        return 100 * self.published / self.total if self.total else None

    def __add__(self, other: "Share") -> "Share":
        return Share(self.published + other.published, self.total + other.total)


def _sum(shares: Iterable[Share]) -> Share:
    return sum(shares, Share())


# (network id, département code, région code) of a group of counters.
GroupKey = tuple[int, str | None, str | None]


@dataclass
class Transparency:
    """The counters of one semester, counted per network × département (× its région)."""

    semester: dt.date
    groups: dict[GroupKey, Share] = field(default_factory=dict)

    @cached_property
    def nation(self) -> Share:
        return _sum(self.groups.values())

    def _by(self, index: int) -> dict[str, Share]:
        result: dict[str, Share] = defaultdict(Share)
        for key, share in self.groups.items():
            if key[index] is not None:
                result[str(key[index])] += share
        return dict(result)

    @cached_property
    def by_network(self) -> dict[int, Share]:
        return {int(key): share for key, share in self._by(0).items()}

    @cached_property
    def by_departement(self) -> dict[str, Share]:
        return self._by(1)

    @cached_property
    def by_region(self) -> dict[str, Share]:
        return self._by(2)

    @cached_property
    def network_mean(self) -> dict[str, float]:
        """State's method per département: the unweighted mean of its networks' rates (%)."""
        rates: dict[str, list[float]] = defaultdict(list)
        for (_network, departement, _region), share in self.groups.items():
            if departement is not None and share.rate is not None:
                rates[departement].append(share.rate)
        return {code: sum(values) / len(values) for code, values in rates.items()}

    @cached_property
    def transparent_networks(self) -> Share:
        """State's method nationally: networks publishing in more than 2/3 of their counters,
        out of the networks that have counters."""
        shares = [share for share in self.by_network.values() if share.total]
        return Share(sum(1 for share in shares if self.is_transparent(share)), len(shares))

    @staticmethod
    def is_transparent(share: Share) -> bool:
        """The State's rule: published in more than two thirds of the counters."""
        return bool(share.total) and (
            Fraction(share.published, share.total) > TRANSPARENT_NETWORK_SHARE
        )


def _published_sample() -> Q:
    """A roll-up row whose value is published (`IndicatorValue.sufficient`), any indicator."""
    return reduce(
        operator.or_,
        (
            Q(indicator=indicator.slug, denominator__gte=max(1, indicator.minimum_sample))
            for indicator in INDICATORS
        ),
    )


def publishing_organisation_paths(semester: dt.date) -> list[str]:
    """The paths of the organisations with a published value of their own for the semester
    (measurements imported at the organisation, summed over the semester's months; one query).
    Paths below another one of the list are dropped: the ancestor covers them."""
    rows = (
        Measurement.objects.filter(
            organisation__isnull=False,
            period_start__gte=semester,
            period_start__lt=next_semester(semester),
        )
        .order_by()
        .values("organisation__path", "indicator")
        .annotate(sample=Sum("denominator"))
    )
    paths = sorted(
        {
            row["organisation__path"]
            for row in rows
            if row["organisation__path"]
            and row["sample"] >= max(1, BY_SLUG[row["indicator"]].minimum_sample)
        }
    )
    kept: list[str] = []
    for path in paths:  # sorted: an ancestor comes before its descendants
        if not any(path.startswith(ancestor) for ancestor in kept):
            kept.append(path)
    return kept


def _on_the_counter(semester: dt.date, *, scoped: bool) -> Q:
    """Counters with a published roll-up row of their own for the semester.

    France: the set of such counters, read once from the semester's contact-point rows and
    hashed (a probe per counter would cost more, and the planner's estimate of 12,000 probes
    triggers PostgreSQL's JIT compilation, ~100 ms). One network or département: a probe of the
    unique index per counter, so that a page of 100 counters does not read 100,000 rows."""
    rows = IndicatorRollup.objects.filter(
        _published_sample(),
        scope_kind=ScopeKind.CONTACT_POINT,
        period_kind=PeriodKind.SEMESTER,
        period_start=semester,
    )
    if scoped:
        return Q(Exists(rows.filter(scope_key=Cast(OuterRef("pk"), output_field=CharField()))))
    return Q(pk__in=rows.values(contact_point=Cast("scope_key", output_field=IntegerField())))


def compute(
    semester: dt.date, *, network_id: int | None = None, departement: str | None = None
) -> Transparency:
    """The transparency of every counter (or of one network's, one département's) for the
    semester: two queries."""
    publishes = _on_the_counter(semester, scoped=network_id is not None or bool(departement))
    paths = publishing_organisation_paths(semester)
    if paths:
        # A subquery over the organisations (evaluated once, hashed), not a test per counter.
        covered = Organisation.objects.filter(
            reduce(operator.or_, (Q(path__startswith=path) for path in paths))
        )
        publishes |= Q(organisation_id__in=covered.values("pk"))
    counters = ContactPoint.objects.active().filter(channel=SERVICE_CHANNEL)
    if network_id is not None:
        counters = counters.filter(organisation__network_id=network_id)
    if departement is not None:
        counters = counters.filter(departement_id=departement)
    rows = (
        counters.order_by()
        .values(
            network=F("organisation__network_id"),
            code=F("departement_id"),
            region=F("departement__region_id"),
        )
        .annotate(total=Count("pk"), published=Count("pk", filter=publishes))
    )
    return Transparency(
        semester,
        {
            (row["network"], row["code"], row["region"]): Share(row["published"], row["total"])
            for row in rows
        },
    )


def cached(
    semester: dt.date, *, network_id: int | None = None, departement: str | None = None
) -> Transparency:
    """`compute`, kept `ECOUTE_TRANSPARENCY_CACHE_SECONDS` in the cache (what pages call): the
    rate of France reads every counter's rows of the semester, and it moves only as ratings and
    measurements arrive. A page may show it up to that many seconds late."""
    seconds = settings.ECOUTE_TRANSPARENCY_CACHE_SECONDS
    if seconds <= 0:
        return compute(semester, network_id=network_id, departement=departement)
    key = f"indicators:transparency:{semester:%Y-%m}:{network_id or '-'}:{departement or '-'}"
    report = cache.get(key)
    if report is None:
        report = compute(semester, network_id=network_id, departement=departement)
        cache.set(key, report, seconds)
    return report
