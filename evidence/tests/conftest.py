"""Fixtures of the evidence tests (the fake Crossref and PubMed, ``sources``, are in the root conftest.py)."""

import pytest


@pytest.fixture
def sleeps() -> list[float]:
    """An injectable sleep that records the back-off instead of waiting."""
    return []


@pytest.fixture
def fake_sleep(sleeps):
    return sleeps.append
