"""The five felt ratings are defined once (experiences/ratings.py); everything derives."""

import pytest

from ecoute.experiences.forms import RATING_QUESTIONS, ExperienceForm
from ecoute.experiences.models import RATING_FIELDS, Experience
from ecoute.experiences.ratings import FELT_RATINGS, SCALE_MAX, SCALE_MIN, Ratings


def test_the_model_fields_match_the_definition():
    rating_columns = [f.name for f in Experience._meta.fields if f.name.startswith("rating_")]
    assert rating_columns == [rating.field for rating in FELT_RATINGS]
    for rating in FELT_RATINGS:
        field = Experience._meta.get_field(rating.field)
        assert field.verbose_name == rating.label
        assert field.null
        bounds = sorted(v.limit_value for v in field.validators)
        assert bounds == [SCALE_MIN, SCALE_MAX]
    assert list(RATING_FIELDS) == [rating.field for rating in FELT_RATINGS]


def test_the_form_and_the_value_object_derive_from_the_definition():
    assert RATING_QUESTIONS == {rating.key: rating.question for rating in FELT_RATINGS}
    form = ExperienceForm()
    assert [bound.name for bound in form.rating_fields()] == [r.field for r in FELT_RATINGS]
    ratings = Ratings(1, 2, 3, 4, 5)
    assert ratings == Ratings(
        satisfaction=1, delays=2, accessibility=3, simplicity=4, relationship=5
    )
    assert ratings.simplicity == 4
    assert ratings.as_fields() == {
        r.field: v for r, v in zip(FELT_RATINGS, range(1, 6), strict=True)
    }
    assert Ratings(**ratings.as_dict()) == ratings


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1, 2, 3, 4), {}), ((), {"satisfaction": 1}), ((1, 2, 3, 4, 5), {"delays": 2})],
)
def test_ratings_need_exactly_the_five(args, kwargs):
    with pytest.raises(TypeError):
        Ratings(*args, **kwargs)


def test_ratings_are_immutable():
    ratings = Ratings(1, 2, 3, 4, 5)
    with pytest.raises(AttributeError):
        ratings.satisfaction = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        ratings.unknown  # noqa: B018
