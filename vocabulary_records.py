"""Value sets of a company's own records, its service targets and time limits (issue 17): part of the vocabulary,
kept in their own module so vocabulary.py stays short; vocabulary.py imports them and lists them in LABELS."""
from __future__ import annotations

from enum import StrEnum


class LogKind(StrEnum):
    """A company's own record imported for sampling and target checks (issue 17)."""
    COMPLAINT = "complaint"
    REPAIR = "repair"
    DELIVERY = "delivery"


LOG_KIND_LABELS = {LogKind.COMPLAINT: "投诉记录", LogKind.REPAIR: "维修记录", LogKind.DELIVERY: "送货安装记录"}


class LogField(StrEnum):
    """What a column of an imported log means (the mapping the user confirms)."""
    CASE = "case"
    SITE = "site"
    REPORTED = "reported"
    RESPONDED = "responded"
    ON_SITE = "on_site"
    RESOLVED = "resolved"
    DISTANCE = "distance"
    SATISFACTION = "satisfaction"


LOG_FIELD_LABELS = {LogField.CASE: "单号", LogField.SITE: "服务网点", LogField.REPORTED: "受理时间",
                    LogField.RESPONDED: "响应时间", LogField.ON_SITE: "到场时间", LogField.RESOLVED: "完成时间",
                    LogField.DISTANCE: "距离（公里）", LogField.SATISFACTION: "满意度"}


class TargetMetric(StrEnum):
    TIMELINESS = "timeliness"
    SATISFACTION = "satisfaction"
    COMPLAINT_RATE = "complaint_rate"


TARGET_METRIC_LABELS = {TargetMetric.TIMELINESS: "服务及时率", TargetMetric.SATISFACTION: "用户满意度",
                        TargetMetric.COMPLAINT_RATE: "用户抱怨率"}


class Comparison(StrEnum):
    AT_LEAST = "at_least"
    BELOW = "below"


COMPARISON_LABELS = {Comparison.AT_LEAST: "≥", Comparison.BELOW: "<"}


class LimitUnit(StrEnum):
    HOURS = "hours"
    WORKING_DAYS = "working_days"


LIMIT_UNIT_LABELS = {LimitUnit.HOURS: "小时", LimitUnit.WORKING_DAYS: "个工作日"}


class SiteSelection(StrEnum):
    """Why a site is in an engagement's sampling plan (sampling/rules.py)."""

    HEADQUARTERS = "headquarters"
    RANDOM = "random"
    CHOSEN = "chosen"


SITE_SELECTION_LABELS = {SiteSelection.HEADQUARTERS: "总部（必访）", SiteSelection.RANDOM: "随机抽取",
                         SiteSelection.CHOSEN: "组长选定"}
