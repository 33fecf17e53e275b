"""The certificate's life as a table: every state with every move, the reasons, dates and the suspension limit."""
from datetime import date

import pytest

from criteria.scheme import Scheme
from cycle.certificate_rules import (
    CODE_ALPHABET,
    CODE_LENGTH,
    TRANSITIONS,
    certificate_number,
    check_dates,
    check_move,
    check_suspension,
    new_check_code,
    normal_code,
    shown_state,
)
from errors import InvalidInput, InvalidTransition
from vocabulary import CertificateMove, CertificateState

V, S, W, E = CertificateState.VALID, CertificateState.SUSPENDED, CertificateState.WITHDRAWN, CertificateState.EXPIRED
M = CertificateMove
ALLOWED = {
    (V, M.SUSPEND): S, (S, M.RESTORE): V, (V, M.WITHDRAW): W, (S, M.WITHDRAW): W, (V, M.EXPIRE): E, (S, M.EXPIRE): E,
    (V, M.REPLACE): E, (S, M.REPLACE): E, (V, M.SURVEILLANCE): V, (S, M.SURVEILLANCE): S, (V, M.AMEND): V,
    (S, M.AMEND): S,
}
EXPIRES = date(2029, 6, 30)
SCHEME = Scheme()


def move(state, what, today=date(2027, 1, 10), reason="理由", **kw):
    return check_move(state, what, reason=reason, today=today, expires_on=EXPIRES, **kw)


@pytest.mark.parametrize("state", list(CertificateState))
@pytest.mark.parametrize("what", [m for m in CertificateMove if m != M.ISSUE])
def test_every_state_and_move(state, what):
    today = date(2029, 7, 1) if what == M.EXPIRE else date(2027, 1, 10)
    if (state, what) in ALLOWED:
        assert move(state, what, today=today) == ALLOWED[(state, what)]
    else:
        with pytest.raises(InvalidTransition, match="不能"):
            move(state, what, today=today)


def test_the_table_is_what_the_brief_says():
    assert TRANSITIONS == ALLOWED
    assert not any(state in (W, E) for state, _ in TRANSITIONS)  # final: nothing leaves withdrawn or expired


def test_a_withdrawn_certificate_cannot_be_restored():
    with pytest.raises(InvalidTransition, match="已撤销或过期的证书不能再变更"):
        move(W, M.RESTORE)


@pytest.mark.parametrize("what, state", [(M.SUSPEND, V), (M.RESTORE, S), (M.WITHDRAW, V), (M.AMEND, V)])
def test_these_moves_need_a_reason(what, state):
    with pytest.raises(InvalidInput, match="必须写明理由"):
        move(state, what, reason="")


def test_a_certificate_expires_only_after_its_last_valid_day():
    with pytest.raises(InvalidInput, match="到期前不能"):
        move(V, M.EXPIRE, today=EXPIRES)
    assert move(V, M.EXPIRE, today=date(2029, 7, 1), reason="") == E
    with pytest.raises(InvalidInput, match="已于 2029-06-30 到期"):
        move(V, M.SUSPEND, today=date(2029, 7, 1))


def test_a_suspension_lasts_at_most_the_schemes_months():
    check_suspension(date(2027, 1, 10), date(2027, 7, 10), SCHEME)
    with pytest.raises(InvalidInput, match="最长 6 个月.*2027-07-10"):
        check_suspension(date(2027, 1, 10), date(2027, 7, 11), SCHEME)
    with pytest.raises(InvalidInput, match="晚于暂停日期"):
        check_suspension(date(2027, 1, 10), date(2027, 1, 10), SCHEME)
    assert move(S, M.RESTORE, today=date(2027, 7, 10), state_since=date(2027, 1, 10), scheme=SCHEME) == V
    with pytest.raises(InvalidInput, match="不能恢复，应撤销证书"):
        move(S, M.RESTORE, today=date(2027, 7, 11), state_since=date(2027, 1, 10), scheme=SCHEME)


def test_the_state_shown_counts_the_expiry_date_before_the_job_records_it():
    assert shown_state(V, EXPIRES, EXPIRES) == V
    assert shown_state(S, EXPIRES, date(2029, 7, 1)) == E
    assert shown_state(W, EXPIRES, date(2029, 7, 1)) == W


def test_dates_and_numbers():
    with pytest.raises(InvalidInput, match="不能早于认证决定日期"):
        check_dates(date(2026, 1, 1), date(2029, 1, 1), date(2026, 1, 2))
    with pytest.raises(InvalidInput, match="必须晚于发证日期"):
        check_dates(date(2026, 1, 2), date(2026, 1, 2), date(2026, 1, 2))
    assert certificate_number("GBT27922-{year}-{seq:04d}", 2026, 7) == "GBT27922-2026-0007"


def test_check_codes_are_short_random_and_unambiguous():
    codes = {new_check_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("0O1IL5S2Z8B") & set(CODE_ALPHABET)
    assert normal_code(" ac-df 3479 ") == "ACDF3479"
