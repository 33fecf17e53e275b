"""AppTest (issue 15 acceptance, third bullet): a certification body's tree in the app's trees folder, its scheme
setting five-star at 98 and failing at 3 special deductions; an engagement on it, created through the services
with the demo lead 张 on its team, and the dashboard follows that scheme, not the default one."""
from pathlib import Path

import pytest
import yaml
from sqlmodel import select

from accounts.models import User
from audits.engagements import create_engagement
from audits.ratings import RatingEntry, rate_clause
from audits.special_items import withdraw_special_item
from config import settings
from criteria.loader import load_tree_file
from criteria.registry import BUILTIN_DIR
from db import engine_for, session
from nonconformities.services import record_special_item
from records.models import Company
from tests.factories import actor
from tests.ui.conftest import go, metric

DASHBOARD = "ui/views/dashboard.py"
TREE_ID = "strict-scheme"


def db():
    return session(engine_for(settings().effective_database_url))


@pytest.fixture
def strict_file(data_dir) -> Path:
    """The default tree's file under the id strict-scheme, five-star at 98 and failing at 3 deductions, in the
    folder the app reads extra trees from (AUDIT_TREES_DIR unset: <data dir>/trees)."""
    data = yaml.safe_load((BUILTIN_DIR / "gbt27922-2011.yaml").read_text(encoding="utf-8"))
    data["id"] = TREE_ID
    data["title"] = "认证机构严格评分表"
    data["scheme"] |= {"thresholds": {**data["scheme"]["thresholds"], "five_star": 98}, "failing_deductions": 3}
    folder = settings().extra_trees_dir
    assert folder == data_dir / "trees"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{TREE_ID}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def strict_engagement(path: Path, deductions: int) -> tuple[int, list[int]]:
    """An initial audit on the strict tree, 张 its lead, every clause conform and `deductions` special
    deductions (each raising its nonconformity)."""
    tree = load_tree_file(path)
    assert tree.ref.startswith(f"{TREE_ID}@") and tree.scheme.failing_deductions == 3
    with db() as s:
        zhang = s.exec(select(User).where(User.username == "zhang")).one()
        company = s.exec(select(Company).order_by(Company.id)).first()
        e = create_engagement(s, data={"company_id": company.id, "kind": "initial", "title": "严格方案初次评价"},
                              tree=tree, team=[{"role": "lead_assessor", "user_id": zhang.id}], by=actor())
        for leaf in tree.leaves():
            rate_clause(s, engagement_id=e.id, code=leaf.code, entry=RatingEntry("conform"), expected_version=0,
                        tree=tree, by=actor())
        items = [record_special_item(s, engagement_id=e.id, kind="deduction", category="law", tree=tree,
                                     reason=f"第{i + 1}项收费高于公示价格", by=actor()).id for i in range(deductions)]
        return e.id, items


def test_three_deductions_fail_a_high_score_and_two_at_97_earn_four_stars(strict_file, signed_in):
    engagement_id, items = strict_engagement(strict_file, deductions=3)
    at = go(signed_in("zhang"), DASHBOARD, engagement=engagement_id)
    assert (metric(at, "得分"), metric(at, "星级"), metric(at, "结论")) == ("97.00", "未通过", "不予通过")

    # one deduction withdrawn, and 3 of 7 sampled staff of 5.1.2.1 (7/3 points) without a licence: 100 − 1 − 2
    tree = load_tree_file(strict_file)
    with db() as s:
        withdraw_special_item(s, item_id=items[-1], reason="复核后不构成特别扣分", by=actor())
        rate_clause(s, engagement_id=engagement_id, code="5.1.2.1", expected_version=1, tree=tree, by=actor(),
                    entry=RatingEntry("sampled", sampled=7, nonconforming=3, finding="3 名抽样人员未持证"))
    at.run()
    assert not at.exception, at.exception
    assert (metric(at, "得分"), metric(at, "星级")) == ("97.00", "四星级")
    shown = " ".join(w.value for w in [*at.subheader, *at.markdown, *at.caption])
    assert "五星级" not in metric(at, "星级") and "升至五星级（≥ 98" in shown, shown
