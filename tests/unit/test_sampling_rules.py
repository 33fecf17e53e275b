"""The sampling plan's rules (sampling/rules.py): the size per kind, exact rounding, the random quarter, the
seeded draw, the auditor-days, the suggestions; and the scheme block that sets the factors."""
from fractions import Fraction

import pytest

from criteria.scheme import DEFAULT_SCHEME
from criteria.scheme_file import parse_scheme
from sampling import rules


@pytest.mark.parametrize("kind, outlets, size", [
    ("initial", 25, 5), ("surveillance", 25, 3), ("recertification", 25, 4),
    ("initial", 10, 4), ("surveillance", 10, 2), ("recertification", 10, 3),   # 3.16 -> 4, 1.90 -> 2, 2.53 -> 3
    ("pre_audit", 10, 4), ("special", 10, 2),                                   # as initial, as surveillance
    ("initial", 1, 1), ("surveillance", 1, 1), ("surveillance", 2, 1),          # at least 1 when there are outlets
    ("initial", 0, 0), ("surveillance", 0, 0),                                  # none without outlets
    ("initial", 100, 10), ("surveillance", 100, 6), ("recertification", 100, 8),
])
def test_the_size_is_the_kinds_factor_times_the_root_rounded_up(kind, outlets, size):
    assert rules.size_for(DEFAULT_SCHEME, kind, outlets) == size


def test_rounding_is_exact_on_whole_numbers_and_up_otherwise():
    assert rules.sample_size(25, Fraction(3, 5)) == 3 and rules.sample_size(25, Fraction(4, 5)) == 4
    assert rules.sample_size(26, Fraction(3, 5)) == 4 and rules.sample_size(26, Fraction(4, 5)) == 5
    assert rules.sample_size(49, Fraction(1)) == 7 and rules.sample_size(50, Fraction(1)) == 8


def test_the_size_never_passes_the_number_of_outlets():
    assert rules.sample_size(3, Fraction(3)) == 3


@pytest.mark.parametrize("size, drawn", [(0, 0), (1, 1), (3, 1), (4, 1), (5, 2), (8, 2), (9, 3)])
def test_at_least_a_quarter_is_drawn_at_random(size, drawn):
    assert rules.random_count(size) == drawn


def test_the_same_seed_draws_the_same_outlets_whatever_their_order():
    outlets = list(range(100, 140))
    first = rules.draw(outlets, 5, seed=2026)
    assert rules.draw(list(reversed(outlets)), 5, seed=2026) == first
    assert len(set(first)) == 5 and set(first) <= set(outlets)


def test_a_different_seed_may_draw_other_outlets():
    outlets = list(range(1, 41))
    draws = {tuple(rules.draw(outlets, 3, seed=seed)) for seed in range(10)}
    assert len(draws) > 1


def test_no_outlets_draw_nothing():
    assert rules.draw([], 1, seed=1) == []


def test_auditor_days_are_the_headquarters_plus_half_a_day_per_outlet():
    assert rules.auditor_days(DEFAULT_SCHEME, 0) == 1
    assert rules.auditor_days(DEFAULT_SCHEME, 5) == Fraction(7, 2)
    assert rules.days_text(Fraction(7, 2)) == "3.5 人日"


def test_suggestions_name_new_outlets_and_those_not_visited_last_time():
    out = rules.suggestions([1, 2, 3], previously_visited={1}, new_ids={3})
    assert [(s.site_id, s.reason) for s in out] == [(2, "上次评价未访问"), (3, "新设网点；上次评价未访问")]
    assert rules.suggestions([1, 2], previously_visited=None, new_ids=set()) == []


def test_the_scheme_block_sets_the_factors_and_days_and_reports_bad_ones():
    problems = []
    scheme = parse_scheme({"sample_factors": {"surveillance": 0.5, "audit": 1, "initial": "x"},
                           "auditor_days_per_outlet": 1, "auditor_days_headquarters": -1},
                          lambda where, what: problems.append(where))
    assert scheme.sample_factor("surveillance") == Fraction(1, 2)
    assert scheme.sample_factor("initial") == 1 and scheme.auditor_days_per_outlet == 1
    assert scheme.auditor_days_headquarters == 1
    assert sorted(problems) == ["scheme.auditor_days_headquarters", "scheme.sample_factors",
                                "scheme.sample_factors.initial"]


def test_the_default_tree_spells_out_the_default_factors():
    from tests.factories import default_tree
    scheme = default_tree().scheme
    assert scheme == DEFAULT_SCHEME
    assert scheme.to_dict()["sample_factors"] == {"pre_audit": 1, "initial": 1, "surveillance": 0.6,
                                                  "recertification": 0.8, "special": 0.6}
