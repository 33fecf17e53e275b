"""Read a tree file's `scheme:` block into a Scheme, reporting every defect (a setting missing takes its default).

Rules: only the known settings; star floors are numbers in 0..100 on the 100-point scale, strictly falling from
five-star to 达标 (a floor given alone is checked against the defaults of the others); the failing number of
special deductions is a whole number of at least 1; the exclusion cap a percentage in 0..100; nonconformity
deadlines whole days in 1..365; the impartiality window whole years in 0..10; the first-certification cap
true or false; the display scale 100 or 1000; the cycle's periods whole numbers in their ranges; the sample
factors, per engagement kind, numbers in 0..3 (a kind left out keeps its default); the auditor-days per outlet
and at the headquarters numbers in 0..10.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from criteria.scheme import CYCLE_SETTINGS, DEFAULT_SCHEME, DISPLAY_SCALES, STAR_LABELS, STARRED, Scheme, Star
from vocabulary import EngagementKind, Severity

Problem = Callable[[str, str], None]  # (where, what)
INTEGERS = {"failing_deductions": (1, 1000), "impartiality_years": (0, 10), **CYCLE_SETTINGS}
DAYS = (1, 365)
DAY_SHARES = ("auditor_days_per_outlet", "auditor_days_headquarters")
SCHEME_KEYS = {"thresholds", "exclusion_cap_percent", "nonconformity_days", "cap_first_certification",
               "display_scale", "sample_factors", *DAY_SHARES, *INTEGERS}


def parse_scheme(raw: object, problem: Problem) -> Scheme:
    """The scheme a `scheme:` block sets; every defect goes to `problem` and that setting keeps its default."""
    if raw is None:
        return DEFAULT_SCHEME
    if not isinstance(raw, dict):
        problem("scheme", "scheme 必须是一个对象（如 thresholds、failing_deductions 等设置）")
        return DEFAULT_SCHEME
    for key in sorted(set(raw) - SCHEME_KEYS, key=str):
        problem("scheme", f"未知的设置 “{key}”；可用的设置：{'、'.join(sorted(SCHEME_KEYS))}")
    scheme = replace(DEFAULT_SCHEME, thresholds=_thresholds(raw.get("thresholds"), problem))
    for key, (low, high) in INTEGERS.items():
        if key in raw:
            value = _whole(raw[key], f"scheme.{key}", low, high, problem)
            scheme = scheme if value is None else replace(scheme, **{key: value})
    if "exclusion_cap_percent" in raw:
        cap = _number(raw["exclusion_cap_percent"], "scheme.exclusion_cap_percent", 0, 100, problem)
        scheme = scheme if cap is None else replace(scheme, exclusion_cap_percent=cap)
    if "cap_first_certification" in raw:
        flag = raw["cap_first_certification"]
        if isinstance(flag, bool):
            scheme = replace(scheme, cap_first_certification=flag)
        else:
            problem("scheme.cap_first_certification", "必须是 true 或 false")
    if "display_scale" in raw:
        scale = raw["display_scale"]
        if isinstance(scale, int) and not isinstance(scale, bool) and scale in DISPLAY_SCALES:
            scheme = replace(scheme, display_scale=scale)
        else:
            problem("scheme.display_scale", f"只能是 100 或 1000（百分制或千分制），而不是 {_shown(scale)}")
    for key in DAY_SHARES:
        if key in raw:
            share = _number(raw[key], f"scheme.{key}", 0, 10, problem)
            scheme = scheme if share is None else replace(scheme, **{key: share})
    scheme = replace(scheme, sample_factors=_factors(raw.get("sample_factors"), problem))
    return replace(scheme, **_days(raw.get("nonconformity_days"), problem))


def _factors(raw: object, problem: Problem) -> tuple[tuple[EngagementKind, Fraction], ...]:
    factors = dict(DEFAULT_SCHEME.sample_factors)
    if raw is None:
        return DEFAULT_SCHEME.sample_factors
    if not isinstance(raw, dict):
        problem("scheme.sample_factors", "必须是评价类型到抽样系数的对应，如 initial: 1.0、surveillance: 0.6")
        return DEFAULT_SCHEME.sample_factors
    known = {str(kind): kind for kind in EngagementKind}
    for key, value in raw.items():
        if key not in known:
            problem("scheme.sample_factors", f"未知的评价类型 “{key}”；只能是 {'、'.join(known)}")
            continue
        factor = _number(value, f"scheme.sample_factors.{key}", 0, 3, problem)
        if factor is not None:
            factors[known[key]] = factor
    return tuple((kind, factors[kind]) for kind in EngagementKind)


def _thresholds(raw: object, problem: Problem) -> tuple[tuple[Star, Decimal], ...]:
    floors = dict(DEFAULT_SCHEME.thresholds)
    if raw is None:
        return DEFAULT_SCHEME.thresholds
    if not isinstance(raw, dict):
        problem("scheme.thresholds", "必须是星级到分数线的对应，如 five_star: 95")
        return DEFAULT_SCHEME.thresholds
    known = {str(star): star for star in STARRED}
    for key, value in raw.items():
        if key not in known:
            problem("scheme.thresholds", f"未知的星级 “{key}”；只能是 {'、'.join(known)}")
            continue
        floor = _number(value, f"scheme.thresholds.{key}", 0, 100, problem)
        if floor is not None:
            floors[known[key]] = Decimal(floor.numerator) / Decimal(floor.denominator)
    ordered = [(star, floors[star]) for star in STARRED]
    for (high, above), (low, below) in zip(ordered, ordered[1:], strict=False):
        if above <= below:
            problem("scheme.thresholds", f"分数线必须从高到低：{STAR_LABELS[high]} {above:g} 应高于"
                                         f"{STAR_LABELS[low]} {below:g}")
    return tuple(ordered)


def _days(raw: object, problem: Problem) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problem("scheme.nonconformity_days", "必须是严重程度到整改天数的对应，如 serious: 30、general: 30")
        return {}
    fields = {str(Severity.SERIOUS): "nc_days_serious", str(Severity.GENERAL): "nc_days_general"}
    out = {}
    for key, value in raw.items():
        if key not in fields:
            problem("scheme.nonconformity_days", f"未知的严重程度 “{key}”；只能是 {'、'.join(fields)}")
            continue
        days = _whole(value, f"scheme.nonconformity_days.{key}", *DAYS, problem)
        if days is not None:
            out[fields[key]] = days
    return out


def _whole(value: object, where: str, low: int, high: int, problem: Problem) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problem(where, f"必须是 {low} 到 {high} 之间的整数，而不是 {_shown(value)}")
        return None
    return value


def _number(value: object, where: str, low: int, high: int, problem: Problem) -> Fraction | None:
    """A number (or its text) within low..high, exactly: 12.5 is 25/2, not a binary approximation."""
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError
        number = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        problem(where, f"必须是 {low} 到 {high} 之间的数，而不是 {_shown(value)}")
        return None
    if not low <= number <= high:
        problem(where, f"必须在 {low} 到 {high} 之间，而不是 {_shown(value)}")
        return None
    return number


def _shown(value: object) -> str:
    """A value as the message quotes it, cut short: a message names the setting, not a page of digits."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
