"""The assessment: what an assessor decided per clause, plus exclusions, special items and nonconformities.

`parse_assessment` reads the assessment JSON format (docs/assessment-format.md) against a tree and refuses,
with one line naming the item and the problem, anything the standard's rules forbid: an unknown clause,
nonconforming samples outside 0..sampled, an exclusion without a reason or of a clause the tree does not let
go, exclusions past the scheme's cap, 本次未抽查 outside a surveillance engagement, a clause both excluded and
rated, more than one special bonus. Keys it does not know are ignored, so a fuller project snapshot reads too.
"""
from __future__ import annotations

from dataclasses import dataclass

from criteria.model import Node, Tree
from errors import AssessmentInvalid
from scoring.applicability import exclusion_cap_problem, exclusion_problem, leaves_below, not_covered_problem
from vocabulary import (
    CLAUSE_STATUS_LABELS,
    KIND_LABELS,
    RATED,
    ClauseStatus,
    EngagementKind,
    Limit,
    NcState,
    Severity,
    finds_against,
)

# What users call each field of a clause entry (the form's and the checklist's words): messages use these.
ENTRY_FIELDS = {"status": "评价结果", "sampled": "抽样数", "nonconforming": "不符合数", "reason": "删减理由",
                "finding": "审核发现"}


@dataclass(frozen=True)
class RatingEntry:
    """What an assessor enters for one clause (the workspace form, a row of the offline checklist), before the
    rules check it. `status` is one of the stored statuses: unrated, conform, nonconform, sampled, excluded,
    not_covered."""

    status: str
    sampled: int = 0
    nonconforming: int = 0
    reason: str = ""
    finding: str = ""


@dataclass(frozen=True)
class EntryProblem:
    """One broken rule of a clause entry: the field (a RatingEntry attribute) and a message in Chinese."""

    field: str
    message: str


def entry_problems(entry: RatingEntry, node: Node, *, finding_required: bool = True,
                   kind: str | None = None) -> list[EntryProblem]:
    """The rules for what may be entered for one clause, every broken one listed:
    - the result is one of 未评分, 符合, 不符合, 抽样评分, 删减, 本次未抽查, and only a scored clause (a leaf) is rated;
    - 抽样评分 needs at least one sample and 0 <= nonconforming <= sampled (at most Limit.SAMPLES);
    - 删减 needs a written reason (at most Limit.REASON characters) and a clause the tree marks excludable;
    - 本次未抽查 only in a surveillance engagement (`kind`, the engagement's kind; None: not one);
    - a finding takes at most Limit.TEXT characters, and a clause that finds against the company (不符合, or
      nonconforming samples) needs one: the finding is what the nonconformity report will state (an assessment
      file may leave findings out: its parser passes finding_required=False).
    The messages name the field as users see it; the caller adds where (the clause, the row)."""
    problems: list[EntryProblem] = []
    if not node.is_leaf:
        problems.append(EntryProblem("status", f"{node.code} 是指标而不是评分条款，请对其下的条款逐条评分"))
    if entry.status not in CLAUSE_STATUS_LABELS:
        problems.append(EntryProblem("status", f"{ENTRY_FIELDS['status']}只能是 "
                                               f"{'、'.join(CLAUSE_STATUS_LABELS.values())} 之一"))
    if entry.status == ClauseStatus.SAMPLED:
        problems += _sample_problems(entry)
    if entry.status == ClauseStatus.EXCLUDED:
        problems += _exclusion_problems(entry, node)
    if entry.status == ClauseStatus.NOT_COVERED and not_covered_problem(kind):
        problems.append(EntryProblem("status", not_covered_problem(kind)))
    if finding_required and not problems and not entry.finding.strip() and \
            finds_against(entry.status, entry.nonconforming if isinstance(entry.nonconforming, int) else 0):
        problems.append(EntryProblem("finding", f"不符合（含不符合样本）必须写明{ENTRY_FIELDS['finding']}："
                                                "所见事实、抽查的样本和证据"))
    if len(entry.finding.strip()) > Limit.TEXT:
        problems.append(EntryProblem("finding", f"{ENTRY_FIELDS['finding']}过长（{len(entry.finding.strip())} 字，"
                                                f"上限 {Limit.TEXT}）"))
    return problems


def _sample_problems(entry: RatingEntry) -> list[EntryProblem]:
    word = ENTRY_FIELDS
    problems = [EntryProblem(field, f"{word[field]}必须是 0 到 {Limit.SAMPLES} 之间的整数")
                for field in ("sampled", "nonconforming")
                if isinstance(value := getattr(entry, field), bool) or not isinstance(value, int)
                or not 0 <= value <= Limit.SAMPLES]
    if problems:
        return problems
    if entry.sampled < 1:
        return [EntryProblem("sampled", f"抽样评分的{word['sampled']}至少为 1")]
    if entry.nonconforming > entry.sampled:
        return [EntryProblem("nonconforming",
                             f"{word['nonconforming']} {entry.nonconforming} 大于{word['sampled']} {entry.sampled}")]
    return []


def _exclusion_problems(entry: RatingEntry, node: Node) -> list[EntryProblem]:
    problems = []
    if node.is_leaf and exclusion_problem(node):
        problems.append(EntryProblem("status", exclusion_problem(node, named=False)))
    reason = entry.reason.strip()
    if not reason:
        problems.append(EntryProblem("reason", f"删减必须写明{ENTRY_FIELDS['reason']}"))
    elif len(reason) > Limit.REASON:
        problems.append(EntryProblem("reason", f"{ENTRY_FIELDS['reason']}过长（{len(reason)} 字，上限 {Limit.REASON}）"))
    return problems


def entry_warnings(entry: RatingEntry) -> list[str]:
    """What is allowed but probably not meant: shown to the user beside a saved entry."""
    warnings = []
    if entry.status != ClauseStatus.SAMPLED and (entry.sampled or entry.nonconforming):
        warnings.append(f"{ENTRY_FIELDS['sampled']}和{ENTRY_FIELDS['nonconforming']}只用于“抽样评分”，本次未保存")
    if entry.status != ClauseStatus.EXCLUDED and entry.reason.strip():
        warnings.append(f"{ENTRY_FIELDS['reason']}只用于“删减”，本次未保存")
    return warnings


def checked_entry(entry: RatingEntry, node: Node, *, kind: str | None = None) -> RatingEntry:
    """The entry as stored: trimmed, counts kept only for 抽样评分 and the reason only for 删减.
    Raises AssessmentInvalid naming the clause and the first broken rule; `kind` is the engagement's."""
    problems = entry_problems(entry, node, kind=kind)
    if problems:
        raise AssessmentInvalid(f"条款 {node.code}：{problems[0].message}")
    return normalised_entry(entry)


def normalised_entry(entry: RatingEntry) -> RatingEntry:
    """A valid entry as stored: trimmed, counts kept only for 抽样评分 and the reason only for 删减."""
    sampled = entry.status == ClauseStatus.SAMPLED
    return RatingEntry(ClauseStatus(entry.status), entry.sampled if sampled else 0,
                       entry.nonconforming if sampled else 0,
                       entry.reason.strip() if entry.status == ClauseStatus.EXCLUDED else "", entry.finding.strip())


@dataclass(frozen=True)
class Rating:
    code: str
    result: ClauseStatus  # one of vocabulary.RATED
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
        return self.status == NcState.CLOSED

    @property
    def blocks(self) -> bool:
        """Whether it holds the decision back: a serious one until closed, a general one until its
        rectification is accepted (accepted or closed); an observation never."""
        if self.severity == Severity.SERIOUS:
            return not self.closed
        return self.severity == Severity.GENERAL and self.status not in _RECTIFIED


_RECTIFIED = (NcState.ACCEPTED, NcState.CLOSED)


@dataclass(frozen=True)
class Assessment:
    """`not_covered`: codes (clauses or indicators) a surveillance visit did not check; `kind`: the engagement's
    kind (vocabulary.EngagementKind), None when the file does not say."""

    criteria: str
    ratings: tuple[Rating, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    special_deductions: tuple[SpecialItem, ...] = ()
    special_bonus: tuple[SpecialItem, ...] = ()
    nonconformities: tuple[NonconformityState, ...] = ()
    not_covered: tuple[str, ...] = ()
    kind: str | None = None


def parse_assessment(data: object, tree: Tree) -> Assessment:
    """Build an Assessment from its JSON form, checked against `tree`; raises AssessmentInvalid."""
    if not isinstance(data, dict):
        raise AssessmentInvalid("评价文件的顶层必须是一个 JSON 对象")

    def each(key: str, what: str, parse, required: bool = False) -> tuple:
        return tuple(parse(item, f"第 {i} {what}", tree) for i, item in enumerate(_list(data, key, required), 1))

    assessment = Assessment(str(data.get("criteria", "")), each("ratings", "条评分", parse_rating, True),
                            each("exclusions", "项删减", parse_exclusion),
                            each("special_deductions", "项特别扣分", _special), each("special_bonus", "项特别加分", _special),
                            each("nonconformities", "个不符合项", _nonconformity),
                            each("not_covered", "项本次未抽查", _not_covered), _kind(data))
    check_assessment(assessment, tree)
    return assessment


def assessment_from_entries(tree: Tree, entries: dict[str, RatingEntry], *, criteria: str | None = None,
                            special_deductions: tuple[SpecialItem, ...] = (),
                            special_bonus: tuple[SpecialItem, ...] = (),
                            nonconformities: tuple[NonconformityState, ...] = (),
                            kind: str | None = None) -> Assessment:
    """An assessment from checked entries keyed by clause code, with no file format in between."""
    ratings = tuple(Rating(code, ClauseStatus(e.status), e.sampled, e.nonconforming)
                    for code, e in entries.items() if e.status in RATED)
    exclusions = tuple(Exclusion(code, e.reason) for code, e in entries.items() if e.status == ClauseStatus.EXCLUDED)
    not_covered = tuple(code for code, e in entries.items() if e.status == ClauseStatus.NOT_COVERED)
    assessment = Assessment(criteria or tree.ref, ratings, exclusions, special_deductions, special_bonus,
                            nonconformities, not_covered, kind)
    check_assessment(assessment, tree)
    return assessment


def check_assessment(assessment: Assessment, tree: Tree) -> None:
    """The rules that span items: one rating per clause; a clause rated, excluded or not covered, never two of
    these; exclusions within the scheme's cap; 本次未抽查 only in a surveillance engagement; at most one bonus."""
    rated: set[str] = set()
    for rating in assessment.ratings:
        if rating.code in rated:
            raise AssessmentInvalid(f"条款 {rating.code} 被评了不止一次")
        rated.add(rating.code)
    excluded = _leaves_once(((e.code, excluded_leaves(e, tree)) for e in assessment.exclusions), rated,
                            "被重复删减", "既已删减又已评分，只能二选一")
    if assessment.not_covered and not_covered_problem(assessment.kind):
        raise AssessmentInvalid(f"条款 {assessment.not_covered[0]}：{not_covered_problem(assessment.kind)}")
    _leaves_once(((code, leaves_below(tree, code)) for code in assessment.not_covered), rated | excluded,
                 "被重复列为本次未抽查", "已评分或已删减，不能再列为本次未抽查")
    over = exclusion_cap_problem(tree, (e.code for e in assessment.exclusions))
    if over:
        raise AssessmentInvalid(over)
    if len(assessment.special_bonus) > 1:
        raise AssessmentInvalid(f"特别加分项最多 1 项，此处有 {len(assessment.special_bonus)} 项")


def _leaves_once(groups, taken: set[str], twice: str, clash: str) -> set[str]:
    """The clauses a list of (code, clauses) covers, refusing a clause listed twice or already in `taken`."""
    seen: set[str] = set()
    for code, leaves in groups:
        if seen & leaves:
            raise AssessmentInvalid(f"条款 {code} {twice}")
        both = sorted(leaves & taken)
        if both:
            raise AssessmentInvalid(f"条款 {both[0]} {clash}")
        seen |= leaves
    return seen


def excluded_leaves(exclusion: Exclusion, tree: Tree) -> set[str]:
    """An exclusion of an indicator excludes every clause below it (e.g. 5.2.6 废弃商品回收 as a whole)."""
    return leaves_below(tree, exclusion.code)


def not_covered_leaves(assessment: Assessment, tree: Tree) -> set[str]:
    return set().union(*(leaves_below(tree, code) for code in assessment.not_covered))


_SECTIONS = {"ratings": "评分", "exclusions": "删减", "special_deductions": "特别扣分项", "special_bonus": "特别加分项",
             "nonconformities": "不符合项", "not_covered": "本次未抽查"}


def _list(data: dict, key: str, required: bool = False) -> list:
    value = data.get(key)
    if value is None:
        if required:
            raise AssessmentInvalid(f"评价文件缺少{_SECTIONS[key]}列表")
        return []
    if not isinstance(value, list):
        raise AssessmentInvalid(f"评价文件中的{_SECTIONS[key]}必须是列表")
    return value


def _object(item: object, where: str) -> dict:
    if not isinstance(item, dict):
        raise AssessmentInvalid(f"{where}必须是一个对象")
    return item


def _node(item: dict, where: str, tree: Tree) -> Node:
    code = item.get("code")
    if not isinstance(code, str) or not code.strip():
        raise AssessmentInvalid(f"{where}缺少条款代码")
    node = tree.node(code.strip())
    if node is None:
        raise AssessmentInvalid(f"{where}：未知的条款代码 “{code}”（指标树 {tree.ref} 中没有）")
    return node


def parse_rating(item: object, where: str, tree: Tree) -> Rating:
    """One rating of the file, by the same rules as every other entry (entry_problems)."""
    item = _object(item, where)
    node = _node(item, where, tree)
    result = item.get("result")
    if not isinstance(result, str) or result not in _RESULTS:
        raise AssessmentInvalid(f"{where}（条款 {node.code}）：评价结果只能是 conform（符合）、nonconform（不符合）"
                                f"或 sampled（抽样评分），而不是 {result!r}")
    if result == ClauseStatus.SAMPLED and item.get("nonconforming") is None:
        raise AssessmentInvalid(f"{where}（条款 {node.code}）：抽样评分需要填写{ENTRY_FIELDS['nonconforming']}（可为 0）")
    entry = RatingEntry(result, item.get("sampled", 0), item.get("nonconforming", 0))
    problems = entry_problems(entry, node, finding_required=False)
    if problems:
        raise AssessmentInvalid(f"{where}（条款 {node.code}）：{problems[0].message}")
    sampled = result == ClauseStatus.SAMPLED
    return Rating(node.code, _RESULTS[result], entry.sampled if sampled else 0, entry.nonconforming if sampled else 0)


def _reason(item: dict, where: str, what: str) -> str:
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise AssessmentInvalid(f"{where}：{what}必须写明理由")
    if len(reason.strip()) > Limit.REASON:
        raise AssessmentInvalid(f"{where}：理由过长（{len(reason.strip())} 字，上限 {Limit.REASON}）")
    return reason.strip()


def parse_exclusion(item: object, where: str, tree: Tree) -> Exclusion:
    item = _object(item, where)
    node = _node(item, where, tree)
    reason = _reason(item, f"{where}（条款 {node.code}）", "删减")
    if exclusion_problem(node):
        raise AssessmentInvalid(f"{where}：{exclusion_problem(node)}")
    return Exclusion(node.code, reason)


def _not_covered(item: object, where: str, tree: Tree) -> str:
    """A code as text, or an object with its code: what a surveillance visit did not check."""
    return _node({"code": item} if isinstance(item, str) else _object(item, where), where, tree).code


def _kind(data: dict) -> str | None:
    """The engagement's kind: `kind`, or `engagement.kind` as downloads and snapshots carry it."""
    engagement = data.get("engagement")
    kind = data.get("kind", engagement.get("kind") if isinstance(engagement, dict) else None)
    if kind is None or (isinstance(kind, str) and kind in KIND_LABELS):
        return None if kind is None else EngagementKind(kind)
    raise AssessmentInvalid(f"评价类型只能是 {'、'.join(f'{k}（{v}）' for k, v in KIND_LABELS.items())} 之一，"
                            f"而不是 {kind!r}")


def _optional_code(item: dict, where: str, tree: Tree) -> str | None:
    return None if item.get("code") is None else _node(item, where, tree).code


def _special(item: object, where: str, tree: Tree) -> SpecialItem:
    item = _object(item, where)
    code = _optional_code(item, where, tree)
    return SpecialItem(_reason(item, where, "特别扣分项或加分项"), code)


def _nonconformity(item: object, where: str, tree: Tree) -> NonconformityState:
    item = _object(item, where)
    code = _optional_code(item, where, tree)
    severity = item.get("severity")
    if not isinstance(severity, str) or severity not in _SEVERITIES:
        raise AssessmentInvalid(f"{where}：严重程度只能是 serious（严重不符合）、general（一般不符合）或 "
                                f"observation（观察项），而不是 {severity!r}")
    status = item.get("status", NcState.RAISED)
    if not isinstance(status, str) or not status.strip():
        raise AssessmentInvalid(f"{where}：状态必须是文字，如 raised（待整改）或 closed（已关闭）")
    return NonconformityState(_SEVERITIES[severity], status.strip(), code)


_RESULTS = {s.value: s for s in RATED}
_SEVERITIES = {s.value: s for s in Severity}  # a lookup, not Severity(...): an engagement has hundreds of these
