"""Largest-remainder percentages in integer tenths (docs/API.md's worked examples and more)."""

from itertools import product

import pytest

from backend.surveys.models import Level
from backend.surveys.stats import headline_rates, rate_tenths, rates


def counts(excellent, good, fair, poor):
    return {Level.EXCELLENT: excellent, Level.GOOD: good, Level.FAIR: fair, Level.POOR: poor}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ((20, 10, 5, 1), (55.5, 27.8, 13.9, 2.8)),  # docs/API.md
        ((11, 14, 9, 2), (30.6, 38.9, 25.0, 5.5)),  # docs/API.md: the tie goes to excellent
        ((1, 1, 1, 0), (33.4, 33.3, 33.3, 0.0)),  # three equal remainders: first listed wins
        ((0, 1, 1, 1), (0.0, 33.4, 33.3, 33.3)),
        ((1, 0, 0, 2), (33.3, 0.0, 0.0, 66.7)),  # the largest remainder wins over order
        ((36, 0, 0, 0), (100.0, 0.0, 0.0, 0.0)),
        ((0, 0, 0, 0), (0, 0, 0, 0)),  # no answers: all 0
    ],
)
def test_worked_examples(given, expected):
    assert list(rates(counts(*given)).values()) == list(expected)
    assert list(rates(counts(*given))) == ["excellent", "good", "fair", "poor"]


def test_every_spread_up_to_24_answers_adds_up_to_100_and_stays_within_a_tenth():
    for spread in product(range(25), repeat=4):
        total = sum(spread)
        if not 0 < total <= 24:
            continue
        shares = rate_tenths(counts(*spread))
        assert sum(shares.values()) == 1000, spread
        for share, n in zip(shares.values(), spread, strict=True):
            # floor or floor + 1 of the exact value, never further away
            assert share in (n * 1000 // total, n * 1000 // total + 1), spread


def test_headline_rates_are_sums_of_the_displayed_rates():
    assert headline_rates(counts(20, 10, 5, 1)) == {"excellent_rate": 55.5, "satisfied_rate": 83.3}
    assert headline_rates(counts(0, 0, 0, 0)) == {"excellent_rate": 0.0, "satisfied_rate": 0.0}


def test_stored_rating_numbers_are_stable_and_round_trip():
    from backend.surveys.models import Item, rating_code, rating_of

    assert rating_code(Item.LECTURE, Level.EXCELLENT) == 0
    assert rating_code(Item.CONTENT, Level.FAIR) == 10
    assert rating_code(Item.SATISFACTION, Level.POOR) == 43  # the check constraint's bound
    for item in Item:
        for level in Level:
            assert rating_of(rating_code(item, level)) == (item, level)
