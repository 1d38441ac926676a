"""Typed environment helpers: numbers read, defaults kept, garbage refused at start-up."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import env_float, env_int


def test_numbers(monkeypatch):
    monkeypatch.delenv("ECOUTE_TEST_NUMBER", raising=False)
    assert env_float("ECOUTE_TEST_NUMBER", 1.3) == 1.3
    assert env_int("ECOUTE_TEST_NUMBER", 7) == 7
    monkeypatch.setenv("ECOUTE_TEST_NUMBER", "")
    assert env_float("ECOUTE_TEST_NUMBER", 50.0) == 50.0
    monkeypatch.setenv("ECOUTE_TEST_NUMBER", "42")
    assert env_float("ECOUTE_TEST_NUMBER", 1.0) == 42.0
    assert env_int("ECOUTE_TEST_NUMBER", 1) == 42


def test_garbage_is_refused(monkeypatch):
    monkeypatch.setenv("ECOUTE_TEST_NUMBER", "1,3")
    with pytest.raises(ImproperlyConfigured, match="ECOUTE_TEST_NUMBER must be a number"):
        env_float("ECOUTE_TEST_NUMBER", 1.0)
    with pytest.raises(ImproperlyConfigured, match="must be an integer"):
        env_int("ECOUTE_TEST_NUMBER", 1)
