"""The assessment: what an assessor decided per clause, plus exclusions, special items and nonconformities.

`parse_assessment` reads the assessment JSON format (docs/assessment-format.md) against a tree and refuses,
with one line naming the item and the problem, anything the standard's rules forbid: an unknown clause,
nonconforming samples outside 0..sampled, an exclusion without a reason, a clause both excluded and rated,
more than one special bonus. Keys it does not know are ignored, so a fuller project snapshot reads too.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from criteria.model import Tree
from errors import AssessmentInvalid

MAX_REASON = 2000
MAX_SAMPLES = 1_000_000


@dataclass(frozen=True)
class RatingEntry:
    """What an assessor enters for one clause (the workspace form, a row of the offline checklist), before the
    rules check it. `status` is one of the stored statuses: unrated, conform, nonconform, sampled, excluded."""

    status: str
    sampled: int = 0
    nonconforming: int = 0
    reason: str = ""
    finding: str = ""


class Result(StrEnum):
    CONFORM = "conform"
    NONCONFORM = "nonconform"
    SAMPLED = "sampled"


class Severity(StrEnum):
    SERIOUS = "serious"
    GENERAL = "general"
    OBSERVATION = "observation"


CLOSED = "closed"


@dataclass(frozen=True)
class Rating:
    code: str
    result: Result
    sampled: int = 0
    nonconforming: int = 0


@dataclass(frozen=True)
class Exclusion:
    code: str
    reason: str


@dataclass(frozen=True)
class SpecialItem:
    reason: str
    code: str | None = None


@dataclass(frozen=True)
class NonconformityState:
    severity: Severity
    status: str
    code: str | None = None

    @property
    def closed(self) -> bool:
        return self.status == CLOSED


@dataclass(frozen=True)
class Assessment:
    criteria: str
    ratings: tuple[Rating, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    special_deductions: tuple[SpecialItem, ...] = ()
    special_bonus: tuple[SpecialItem, ...] = ()
    nonconformities: tuple[NonconformityState, ...] = ()


def parse_assessment(data: object, tree: Tree) -> Assessment:
    """Build an Assessment from its JSON form, checked against `tree`; raises AssessmentInvalid."""
    if not isinstance(data, dict):
        raise AssessmentInvalid("评价文件的顶层必须是一个 JSON 对象")
    ratings = tuple(parse_rating(item, f"ratings[{i}]", tree) for i, item in enumerate(_list(data, "ratings", True)))
    exclusions = tuple(parse_exclusion(item, f"exclusions[{i}]", tree)
                       for i, item in enumerate(_list(data, "exclusions")))
    deductions = tuple(_special(item, f"special_deductions[{i}]", tree)
                       for i, item in enumerate(_list(data, "special_deductions")))
    bonus = tuple(_special(item, f"special_bonus[{i}]", tree) for i, item in enumerate(_list(data, "special_bonus")))
    ncs = tuple(_nonconformity(item, f"nonconformities[{i}]", tree)
                for i, item in enumerate(_list(data, "nonconformities")))
    assessment = Assessment(str(data.get("criteria", "")), ratings, exclusions, deductions, bonus, ncs)
    check_assessment(assessment, tree)
    return assessment


def check_assessment(assessment: Assessment, tree: Tree) -> None:
    """The rules that span items: one rating per clause, not both excluded and rated, at most one bonus."""
    rated: set[str] = set()
    for rating in assessment.ratings:
        if rating.code in rated:
            raise AssessmentInvalid(f"条款 {rating.code} 被评了不止一次")
        rated.add(rating.code)
    excluded: set[str] = set()
    for exclusion in assessment.exclusions:
        leaves = excluded_leaves(exclusion, tree)
        if excluded & leaves:
            raise AssessmentInvalid(f"条款 {exclusion.code} 被重复删减")
        both = sorted(leaves & rated)
        if both:
            raise AssessmentInvalid(f"条款 {both[0]} 既已删减又已评分，只能二选一")
        excluded |= leaves
    if len(assessment.special_bonus) > 1:
        raise AssessmentInvalid(f"特别加分项最多 1 项，此处有 {len(assessment.special_bonus)} 项")


def excluded_leaves(exclusion: Exclusion, tree: Tree) -> set[str]:
    """An exclusion of an indicator excludes every clause below it (e.g. 5.2.6 废弃商品回收 as a whole)."""
    node = tree.node(exclusion.code)
    return {leaf.code for leaf in node.leaves()} if node else set()


def _list(data: dict, key: str, required: bool = False) -> list:
    value = data.get(key)
    if value is None:
        if required:
            raise AssessmentInvalid(f"评价文件缺少 “{key}” 列表")
        return []
    if not isinstance(value, list):
        raise AssessmentInvalid(f"“{key}” 必须是列表")
    return value


def _object(item: object, where: str) -> dict:
    if not isinstance(item, dict):
        raise AssessmentInvalid(f"{where} 必须是一个对象")
    return item


def _leaf_code(item: dict, where: str, tree: Tree) -> str:
    code = item.get("code")
    if not isinstance(code, str) or not code.strip():
        raise AssessmentInvalid(f"{where} 缺少条款代码 code")
    node = tree.node(code.strip())
    if node is None:
        raise AssessmentInvalid(f"{where}: 未知的条款代码 “{code}”（指标树 {tree.ref} 中没有）")
    if not node.is_leaf:
        raise AssessmentInvalid(f"{where}: {code} 是指标而不是评分条款，请对其下的条款逐条评分")
    return node.code


def _count(item: dict, key: str, where: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SAMPLES:
        raise AssessmentInvalid(f"{where}: {key} 必须是 0 到 {MAX_SAMPLES} 之间的整数，而不是 {value!r}")
    return value


def parse_rating(item: object, where: str, tree: Tree) -> Rating:
    item = _object(item, where)
    code = _leaf_code(item, where, tree)
    where = f"{where}（条款 {code}）"
    try:
        result = Result(item.get("result"))
    except ValueError:
        raise AssessmentInvalid(f"{where}: result 必须是 conform、nonconform 或 sampled，而不是 {item.get('result')!r}") from None
    sampled = _count(item, "sampled", where)
    nonconforming = _count(item, "nonconforming", where)
    if sampled is not None and nonconforming is not None and nonconforming > sampled:
        raise AssessmentInvalid(f"{where}: 不符合样本数 {nonconforming} 大于抽样数 {sampled}")
    if result is not Result.SAMPLED:
        return Rating(code, result)
    if not sampled:
        raise AssessmentInvalid(f"{where}: 抽样评分需要抽样数 sampled ≥ 1")
    if nonconforming is None:
        raise AssessmentInvalid(f"{where}: 抽样评分需要不符合样本数 nonconforming")
    return Rating(code, result, sampled, nonconforming)


def _reason(item: dict, where: str, what: str) -> str:
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise AssessmentInvalid(f"{where}: {what}必须写明理由 reason")
    if len(reason) > MAX_REASON:
        raise AssessmentInvalid(f"{where}: 理由过长（{len(reason)} 字，上限 {MAX_REASON}）")
    return reason.strip()


def parse_exclusion(item: object, where: str, tree: Tree) -> Exclusion:
    item = _object(item, where)
    code = item.get("code")
    if not isinstance(code, str) or tree.node(code.strip()) is None:
        raise AssessmentInvalid(f"{where}: 未知的条款代码 “{code}”（指标树 {tree.ref} 中没有）")
    return Exclusion(code.strip(), _reason(item, f"{where}（条款 {code.strip()}）", "删减"))


def _special(item: object, where: str, tree: Tree) -> SpecialItem:
    item = _object(item, where)
    code = item.get("code")
    if code is not None and (not isinstance(code, str) or tree.node(code.strip()) is None):
        raise AssessmentInvalid(f"{where}: 未知的条款代码 “{code}”（指标树 {tree.ref} 中没有）")
    return SpecialItem(_reason(item, where, "特别扣分项或加分项"), code.strip() if code else None)


def _nonconformity(item: object, where: str, tree: Tree) -> NonconformityState:
    item = _object(item, where)
    code = item.get("code")
    if code is not None and (not isinstance(code, str) or tree.node(code.strip()) is None):
        raise AssessmentInvalid(f"{where}: 未知的条款代码 “{code}”（指标树 {tree.ref} 中没有）")
    severity = item.get("severity")
    if not isinstance(severity, str) or severity not in _SEVERITIES:
        raise AssessmentInvalid(f"{where}: severity 必须是 serious、general 或 observation，而不是 {severity!r}")
    status = item.get("status", "raised")
    if not isinstance(status, str) or not status.strip():
        raise AssessmentInvalid(f"{where}: status 必须是文字，如 raised 或 closed")
    return NonconformityState(_SEVERITIES[severity], status.strip(), code.strip() if code else None)


_SEVERITIES = {s.value: s for s in Severity}  # a lookup, not Severity(...): an engagement has hundreds of these
