"""Rates in integer tenths, each rounded on its own, half up (docs/API.md's worked examples)."""

from fractions import Fraction
from itertools import product

import pytest

from backend.surveys.models import Level
from backend.surveys.stats import headline_rates, rate_tenths, rates


def counts(excellent, good, fair, poor):
    return {Level.EXCELLENT: excellent, Level.GOOD: good, Level.FAIR: fair, Level.POOR: poor}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ((20, 10, 5, 1), (55.6, 27.8, 13.9, 2.8)),  # docs/API.md: adds up to 100.1
        ((11, 14, 9, 2), (30.6, 38.9, 25.0, 5.6)),  # 5.555… rounds up, like 30.555…
        ((1, 1, 1, 0), (33.3, 33.3, 33.3, 0.0)),  # equal counts, equal rates: adds up to 99.9
        ((0, 1, 1, 1), (0.0, 33.3, 33.3, 33.3)),
        ((1, 0, 0, 2), (33.3, 0.0, 0.0, 66.7)),
        ((1, 0, 0, 7), (12.5, 0.0, 0.0, 87.5)),  # exactly half a tenth rounds up
        ((1, 34, 0, 0), (2.9, 97.1, 0.0, 0.0)),  # 1 of 35 is 2.857… → 2.9 wherever it stands
        ((0, 0, 34, 1), (0.0, 0.0, 97.1, 2.9)),
        ((1, 1, 1, 13), (6.3, 6.3, 6.3, 81.3)),  # every rate exactly a half: adds up to 100.2
        ((36, 0, 0, 0), (100.0, 0.0, 0.0, 0.0)),
        ((0, 0, 0, 0), (0, 0, 0, 0)),  # no answers: all 0
    ],
)
def test_worked_examples(given, expected):
    assert list(rates(counts(*given)).values()) == list(expected)
    assert list(rates(counts(*given))) == ["excellent", "good", "fair", "poor"]


def test_every_spread_up_to_24_answers_is_the_exact_rate_rounded_half_up():
    for spread in product(range(25), repeat=4):
        total = sum(spread)
        if not 0 < total <= 24:
            continue
        shares = rate_tenths(counts(*spread))
        # four halves rounded up at most: 1/1/1/13 of 16 gives 6.3 × 3 + 81.3 = 100.2
        assert 998 <= sum(shares.values()) <= 1002, spread
        for share, n in zip(shares.values(), spread, strict=True):
            exact = Fraction(1000 * n, total)
            assert abs(share - exact) <= Fraction(1, 2), spread
            assert share - exact != Fraction(-1, 2), spread  # a half goes up, never down


def test_headline_rates_are_rates_of_their_own():
    # 满意率 is (20 + 10) / 36 rounded on its own: 83.3, as a calculator says
    assert headline_rates(counts(20, 10, 5, 1)) == {"excellent_rate": 55.6, "satisfied_rate": 83.3}
    assert headline_rates(counts(0, 0, 0, 0)) == {"excellent_rate": 0.0, "satisfied_rate": 0.0}


def test_stored_rating_numbers_are_stable_and_round_trip():
    from backend.surveys.models import Item, rating_code, rating_of

    assert rating_code(Item.LECTURE, Level.EXCELLENT) == 0
    assert rating_code(Item.CONTENT, Level.FAIR) == 10
    assert rating_code(Item.SATISFACTION, Level.POOR) == 43  # the check constraint's bound
    for item in Item:
        for level in Level:
            assert rating_of(rating_code(item, level)) == (item, level)
