"""Fixtures the service tests share."""
import pytest

from accounts.users import actor_of, create_user
from audits.engagements import create_engagement
from audits.ratings import RatingEntry, rate_clause
from tests.factories import actor, default_tree, make_company

TREE = default_tree()
SYSTEM = actor("系统")


@pytest.fixture
def people(db):
    company = make_company(db)
    users = {name: create_user(db, username=name, display_name=label, role=role, password="a-long-password-1",
                               company_id=company.id if role == "client" else None, by=SYSTEM)
             for name, label, role in [("zhang", "张审查", "assessor"), ("li", "李评审", "assessor"),
                                       ("client", "王经理", "client")]}
    engagement = create_engagement(db, data={"company_id": company.id, "kind": "initial"}, tree=TREE, by=SYSTEM,
                                   team=[{"role": "lead_assessor", "user_id": users["zhang"].id},
                                         {"role": "assessor", "user_id": users["li"].id}])
    for leaf in TREE.leaves():
        status = "nonconform" if leaf.code == "5.1.6.b" else "conform"
        rate_clause(db, engagement_id=engagement.id, code=leaf.code, entry=RatingEntry(status, finding="改进措施未验证效果" if status == "nonconform" else ""),
                    expected_version=0,
                    tree=TREE, by=SYSTEM)
    return engagement, {name: actor_of(user) for name, user in users.items()}
