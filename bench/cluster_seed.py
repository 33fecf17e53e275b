"""The accounts and engagements of a cluster load run, written through the services before the users start.

Light users sit in teams of `per_engagement` on engagements of their own companies (a lead and assessors), with
the company's client user; each browser user, and the single user of the floor, has an engagement alone. Names
carry a random tag, so runs on the same cluster never collide."""
from __future__ import annotations

import secrets

from accounts.tokens import create_token
from accounts.users import actor_of, create_user
from audits.companies import create_company
from audits.engagements import create_engagement
from audits.ratings import RatingEntry, rate_clause
from bench.cluster_users import FINDING, PASSWORD, Seat
from bench.data import credit_code
from db import session
from tests.factories import actor

SYSTEM = actor("负载测试")
BROWSER_CODE = "5.3.1.a"   # the clause browser users click (it moves the score), as the browser benchmark does
NC_CODE = "5.1.6.b"        # rated nonconform at the start: nonconformities are raised on it
SHARED_CODES = 8           # clauses each light team rates at random


def seed(engine, tree, light: int, browsers: int, per_engagement: int) -> tuple[list[Seat], list[Seat], Seat]:
    tag, base = secrets.token_hex(2), secrets.randbelow(10**9) * 100
    codes = tuple(leaf.code for leaf in tree.leaves() if leaf.code not in (NC_CODE, BROWSER_CODE))[:SHARED_CODES]
    engagements = [0]

    def engagement(s, members: list) -> tuple[int, str]:
        engagements[0] += 1
        n = engagements[0]
        company = create_company(s, data={"name": f"负载测试企业{tag}-{n:03d}", "credit_code": credit_code(base + n)},
                                 by=SYSTEM)
        client = create_user(s, username=f"load{tag}-c{n}", display_name=f"企业用户{n}", role="client",
                             password=PASSWORD, company_id=company.id, by=SYSTEM)
        team = [{"role": "lead_assessor" if i == 0 else "assessor", "user_id": u.id} for i, u in enumerate(members)]
        eid = create_engagement(s, data={"company_id": company.id, "kind": "initial", "title": f"负载测试评价{n}"},
                                tree=tree, team=team, by=SYSTEM).id
        for code, status in ((NC_CODE, "nonconform"), (BROWSER_CODE, "conform")):  # 不符合 is the first click
            rate_clause(s, engagement_id=eid, code=code, entry=RatingEntry(status, finding=FINDING),
                        expected_version=0, tree=tree, by=SYSTEM)
        return eid, client.username

    def assessor(s, name: str):
        return create_user(s, username=f"load{tag}-{name}", display_name=f"审查员{name}", role="assessor",
                           password=PASSWORD, by=SYSTEM)

    with session(engine) as s:
        light_seats = []
        for start in range(0, light, per_engagement):
            members = [assessor(s, f"a{n}") for n in range(start, min(light, start + per_engagement))]
            eid, client = engagement(s, members)
            light_seats += [Seat(u.username, eid, codes, NC_CODE, create_token(s, name="负载测试", by=actor_of(u))[1],
                                 client) for u in members]
        browser_seats = []
        for n in range(browsers + 1):
            user = assessor(s, f"b{n}")
            eid, client = engagement(s, [user])
            browser_seats.append(Seat(user.username, eid, (BROWSER_CODE,), NC_CODE, "", client))
    return light_seats, browser_seats[1:], browser_seats[0]
