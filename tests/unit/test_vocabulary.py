"""The vocabulary is the one place for value sets: every enum has one label map covering it exactly, and no
product code compares a value of these sets with a string literal."""
import ast
from pathlib import Path

import pytest

import vocabulary
from vocabulary import LABELS, ClauseStatus, clause_status_from_word, finds_against

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"tests", "migrations", ".venv", "bench"}
VALUES = {member.value for enum in LABELS for member in enum}


@pytest.mark.parametrize("enum", list(LABELS), ids=lambda e: e.__name__)
def test_each_label_map_covers_its_enum_once_with_distinct_labels(enum):
    labels = LABELS[enum]
    assert set(labels) == set(enum) and len(labels) == len(enum)
    assert len(set(labels.values())) == len(labels)


def test_every_enum_of_the_vocabulary_has_its_label_map():
    enums = {v for v in vars(vocabulary).values() if isinstance(v, type) and issubclass(v, vocabulary.StrEnum)
             and v is not vocabulary.StrEnum}
    assert enums == set(LABELS)


@pytest.mark.parametrize("word, status", [("未评分", "unrated"), ("未评", "unrated"), ("", "unrated"),
                                          ("抽样评分", "sampled"), ("抽样", "sampled"), (" 符合 ", "conform"),
                                          ("nonconform", "nonconform"), ("删减", "excluded"), ("maybe", None)])
def test_a_users_word_names_its_status(word, status):
    assert clause_status_from_word(word) == status


def test_a_clause_finds_against_the_company_when_nonconform_or_with_nonconforming_samples():
    assert finds_against(ClauseStatus.NONCONFORM) and finds_against(ClauseStatus.SAMPLED, 1)
    assert not finds_against(ClauseStatus.SAMPLED, 0) and not finds_against(ClauseStatus.CONFORM)


def literal_comparisons(source: str) -> list[tuple[int, str]]:
    """Comparisons (==, !=, in, not in) of anything with a string literal that is a vocabulary value."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        for side in [node.left, *node.comparators]:
            items = side.elts if isinstance(side, ast.Tuple | ast.List | ast.Set) else [side]
            found += [(node.lineno, item.value) for item in items
                      if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value in VALUES]
    return found


def test_the_finder_sees_a_literal_comparison():
    assert literal_comparisons('x == "conform"\ny in ("raised", "other")\nz == ClauseStatus.CONFORM') == \
        [(1, "conform"), (2, "raised")]


def test_no_product_code_compares_a_vocabulary_value_with_a_literal():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts) or path.name == "vocabulary.py":
            continue
        offenders += [f"{path.relative_to(ROOT)}:{line} {value!r}"
                      for line, value in literal_comparisons(path.read_text(encoding="utf-8"))]
    assert not offenders
