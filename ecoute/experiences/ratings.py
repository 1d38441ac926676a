"""The five felt ratings (Services Publics +), defined once.

Everything else derives from `FELT_RATINGS`: the model's labels (`models.RATING_FIELDS`), the
value object of the actions (`Ratings`), the questions of the form (`forms.RATING_QUESTIONS`)
and the indicators computed from them (ecoute/indicators, which reads this module; this app
never imports it). The model fields stay written out in `models.Experience` (migrations need
them explicit); tests/experiences/test_ratings.py proves they match this list.

Each rating is an integer from `SCALE_MIN` (très insatisfait) to `SCALE_MAX` (très satisfait),
or empty (imported experiences are often only partly rated).

Apps that keep something in step with the published ratings (the indicators' roll-ups)
register a listener here: the actions call `published_ratings_changed(ids, sign)` inside their
transaction, with +1 after experiences become public and -1 *before* their published ratings
change or disappear (hide, edit, withdraw), so a listener reads the rows as they were counted.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

SCALE_MIN = 1
SCALE_MAX = 5


@dataclass(frozen=True)
class FeltRating:
    key: str  # "satisfaction": the key of Ratings, of the form field suffix, of the indicator
    label: "StrPromise"  # short label: model field, tables
    question: "StrPromise"  # what the form asks

    @property
    def field(self) -> str:
        """The Experience column holding it."""
        return f"rating_{self.key}"


FELT_RATINGS: tuple[FeltRating, ...] = (
    FeltRating("satisfaction", _("Satisfaction"), _("Satisfaction globale")),
    FeltRating("delays", _("Délais"), _("Délais")),
    FeltRating("accessibility", _("Accessibilité"), _("Accessibilité")),
    FeltRating("simplicity", _("Simplicité"), _("Simplicité")),
    FeltRating("relationship", _("Qualité de la relation"), _("Qualité de la relation")),
)
RATING_KEYS: tuple[str, ...] = tuple(rating.key for rating in FELT_RATINGS)


class Ratings:
    """The five ratings of one experience, all given (what the form and the actions take).

    `Ratings(2, 3, 4, 5, 1)` in the order of FELT_RATINGS, or by key:
    `Ratings(satisfaction=2, delays=3, ...)`; `ratings.satisfaction` reads one."""

    __slots__ = ("_values",)
    _values: tuple[int, ...]

    def __init__(self, *values: int, **by_key: int) -> None:
        if values and by_key:
            raise TypeError("Ratings takes positional or keyword values, not both")
        if by_key:
            if set(by_key) != set(RATING_KEYS):
                raise TypeError(f"Ratings needs exactly {', '.join(RATING_KEYS)}")
            values = tuple(by_key[key] for key in RATING_KEYS)
        if len(values) != len(RATING_KEYS):
            raise TypeError(f"Ratings needs {len(RATING_KEYS)} values")
        object.__setattr__(self, "_values", tuple(values))

    def __getattr__(self, key: str) -> int:
        try:
            return self._values[RATING_KEYS.index(key)]
        except ValueError:
            raise AttributeError(key) from None

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError("Ratings is immutable")

    def __iter__(self) -> Iterator[int]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ratings) and other._values == self._values

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Ratings({', '.join(f'{k}={v}' for k, v in self.as_dict().items())})"

    def as_dict(self) -> dict[str, int]:
        """{key: value}, JSON-safe."""
        return dict(zip(RATING_KEYS, self._values, strict=True))

    def as_fields(self) -> dict[str, int]:
        """{model field: value}."""
        return {rating.field: value for rating, value in zip(FELT_RATINGS, self, strict=True)}


Listener = Callable[[Sequence[int], int], None]
_listeners: list[Listener] = []


def register_listener(listener: Listener) -> None:
    """Call `listener(experience_ids, sign)` on each change of published ratings (from an
    AppConfig.ready())."""
    if listener not in _listeners:
        _listeners.append(listener)


def published_ratings_changed(experience_ids: Sequence[int], sign: int) -> None:
    """Tell the listeners, in the caller's transaction, that these experiences' ratings join
    (+1) or leave (-1) what is published."""
    if not experience_ids:
        return
    for listener in _listeners:
        listener(experience_ids, sign)
