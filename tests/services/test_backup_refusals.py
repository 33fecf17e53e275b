"""A backup that breaks a rule the product's forms apply is refused with a message naming the item, and nothing
is written: not a row, not a file (issue 13)."""
import io
import json
import re
import zipfile

import pytest
from sqlalchemy import func
from sqlmodel import SQLModel, select

from audits.special_items import withdraw_special_item
from criteria.registry import TreeRegistry
from dossier.backup import backup_engagement, restore_engagement
from dossier.demo import load_demo_if_empty
from errors import InvalidInput
from evidence.services import upload_evidence
from evidence.store import LocalBlobStore
from nonconformities.models import Nonconformity
from nonconformities.services import record_special_item, submit_rectification
from tests.factories import actor, default_tree
from vocabulary import Limit

TREE = default_tree()


@pytest.fixture
def backup(db, tmp_path) -> bytes:
    load_demo_if_empty(db, TREE)
    manual = upload_evidence(db, LocalBlobStore(tmp_path / "evidence"), engagement_id=2, name="手册.pdf",
                             stream=io.BytesIO(b"%PDF-1.4 manual"), tree=TREE, links={"5.1.4.1": {1}}, by=actor(),
                             max_bytes=1024 * 1024).evidence
    nc = db.exec(select(Nonconformity).where(Nonconformity.engagement_id == 2, Nonconformity.number == 2)).one()
    submit_rectification(db, nc_id=nc.id, cause="因", correction="纠", corrective_action="措",
                         evidence_ids=[manual.id], expected_version=0, by=actor())
    item = record_special_item(db, engagement_id=2, kind="deduction", reason="误记", category="law", tree=TREE,
                               by=actor())
    withdraw_special_item(db, item_id=item.id, reason="不成立", by=actor())
    return backup_engagement(db, LocalBlobStore(tmp_path / "evidence"), 2, TREE, by=actor())


def tampered(data: bytes, change) -> bytes:
    """The backup with its snapshot changed by `change` (a function that edits the dict in place)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    snapshot = json.loads(source.read("snapshot.json"))
    change(snapshot)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            archive.writestr(name, json.dumps(snapshot) if name == "snapshot.json" else source.read(name))
    return out.getvalue()


def rows(db) -> dict[str, int]:
    return {t.name: db.connection().execute(select(func.count()).select_from(t)).scalar()
            for t in SQLModel.metadata.sorted_tables}


def sampled(snap, field, value):
    next(r for r in snap["ratings"] if r["code"] == "5.1.2.1")[field] = value


REFUSALS = {
    "a wrong credit code": (lambda s: s["company"].update(credit_code="91330106MA2DEMX01X"),
                            "备份未恢复：企业“杭州示例电器服务有限公司（演示）”：统一社会信用代码的校验位不正确，请核对"),
    "no credit code": (lambda s: s["company"].pop("credit_code"), "没有统一社会信用代码"),
    "an unknown clause": (lambda s: s["ratings"][0].update(code="9.9.9"), "第 1 条评分：未知的条款代码“9.9.9”"),
    "more nonconforming than sampled": (lambda s: sampled(s, "nonconforming", 11),
                                        "备份未恢复：条款 5.1.2.1：不符合数 11 大于抽样数 10"),
    "a sample count that is not a number": (lambda s: sampled(s, "sampled", "十"), "条款 5.1.2.1：抽样数必须是"),
    "an exclusion without a reason": (lambda s: s["exclusions"][0].update(reason="  "),
                                      "备份未恢复：条款 5.2.6.a：删减必须写明删减理由"),
    "a bad severity": (lambda s: s["nonconformities"][0].update(severity="fatal"),
                       "备份未恢复：不符合项 NC-01：严重程度“fatal”无效"),
    "a bad state": (lambda s: s["nonconformities"][1].update(status="lost"), "不符合项 NC-02：状态“lost”无效"),
    "a finding over its limit": (lambda s: s["nonconformities"][0].update(finding="长" * (Limit.TEXT + 1)),
                                 f"不符合项 NC-01：不符合事实描述过长（{Limit.TEXT + 1} 字，上限 {Limit.TEXT}）"),
    "a missing history time": (lambda s: s["rating_history"][0].pop("at"),
                               "备份已损坏，未恢复：评分历史第 1 条（条款 5.1.1.1）缺少时间"),
    "an unreadable time": (lambda s: s["special_deductions"][0].update(at="昨天"),
                           "备份已损坏，未恢复：第 1 项特别扣分项的时间“昨天”无法识别"),
    "a withdrawal without its time": (lambda s: s["withdrawn_special_items"][0].pop("withdrawn_at"),
                                      "备份已损坏，未恢复：第 1 项已撤销的特别项的撤销缺少时间"),
    "a nonconformity step without its time": (lambda s: s["nonconformities"][1]["history"][0].pop("at"),
                                              "备份已损坏，未恢复：不符合项 NC-02 的历史第 1 条缺少时间"),
    "a rectification naming a file the backup lacks": (
        lambda s: s["nonconformities"][1]["history"][0]["details"]["evidence"][0].update(sha256="0" * 64),
        "不符合项 NC-02 的历史第 1 条所列的整改证据 000000000000… 不在备份中"),
    "a deduction without its category": (lambda s: s["special_deductions"][0].update(category=""),
                                         "第 1 项特别扣分项：请选择特别扣分项的类别"),
    "a bonus without a reason": (lambda s: s["special_bonus"][0].update(reason=""),
                                 f"第 1 项特别加分项：特别加分项必须写明理由（不超过 {Limit.REASON} 字）"),
    "two bonuses": (lambda s: s["special_bonus"].append(s["special_bonus"][0] | {"key": "S9"}),
                    "特别加分项最多 1 项"),
    "a bad team role": (lambda s: s["team"][0].update(role="boss"), "备份未恢复：评价组成员 张审查 的角色无效"),
    "a bad engagement kind": (lambda s: s["engagement"].update(kind="audit"), "评价类型“audit”无效"),
    "a bad site kind": (lambda s: s["sites"][0].update(kind="shop"), "第 1 个场所“杭州总部”：场所类型“shop”无效"),
    "a checklist item the clause lacks": (lambda s: s["evidence"][0]["links"][0].update(item=99),
                                          "第 1 个证据文件“手册.pdf”：条款 5.1.4.1 没有第 99 项证据要求"),
    "a site the backup lacks": (lambda s: s["evidence"][0].update(site="火星网点"), "所属场所“火星网点”不在备份的场所中"),
    "a special item the backup lacks": (lambda s: s["nonconformities"][0].update(special_item="S7"),
                                        "不符合项 NC-01：所依据的特别扣分项 S7 不在备份中"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_backup_breaking_a_rule_is_refused_by_name_and_nothing_is_written(db, tmp_path, backup, case):
    change, message = REFUSALS[case]
    before = rows(db)
    store = LocalBlobStore(tmp_path / "target-evidence")
    with pytest.raises(InvalidInput, match=re.escape(message)) as refusal:
        restore_engagement(db, store, tampered(backup, change), TreeRegistry(), by=actor())
    assert refusal.value.message.startswith(("备份未恢复：", "备份已损坏，未恢复："))
    assert rows(db) == before
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_the_untampered_backup_restores(db, tmp_path, backup):
    """The cases above differ from a restorable backup only by what each changes."""
    restored = restore_engagement(db, LocalBlobStore(tmp_path / "target-evidence"), tampered(backup, lambda s: None),
                                  TreeRegistry(), by=actor())
    assert restored == 4
