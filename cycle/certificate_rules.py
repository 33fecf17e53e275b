"""A certificate's life as a table, its number and its check code (domain brief A7). Pure: no database.

    issue ──▶ valid ──suspend──▶ suspended ──restore──▶ valid
              │  ▲                 │
              │  └─ surveillance, amend (stay as they are)
              ├──withdraw──▶ withdrawn (final)     suspended ──withdraw──▶ withdrawn
              ├──expire────▶ expired (final)       suspended ──expire────▶ expired
              └──replace───▶ expired (final: a recertification's new certificate takes over)

A suspension, a restoration and a withdrawal need a written reason. A suspension lasts at most the scheme's
`suspension_max_months` (cycle.schedule.suspension_ends); after that the certificate is to be withdrawn, so it
cannot be restored any more. A certificate is valid through its expiry date (the last valid day) and expires
from the day after; a withdrawn or expired certificate never moves again (it cannot be restored after
withdrawal). A recertification's certificate replaces the cycle's earlier one: the earlier one ends as expired,
with a 再认证换证 event naming its successor, so the public page shows it as no longer valid.
"""
from __future__ import annotations

import secrets
from datetime import date, timedelta

from criteria.scheme import Scheme
from cycle.schedule import suspension_ends
from errors import InvalidInput, InvalidTransition
from vocabulary import (
    CERTIFICATE_MOVE_LABELS,
    CERTIFICATE_STATE_LABELS,
    LIVE_CERTIFICATE,
    CertificateMove,
    CertificateState,
    Limit,
)

ISSUED = CertificateState.VALID  # what `issue` leads to
LIVE = LIVE_CERTIFICATE  # the vocabulary's: audits/companies.py reads it too
FINAL = frozenset({CertificateState.WITHDRAWN, CertificateState.EXPIRED})

TRANSITIONS: dict[tuple[CertificateState, CertificateMove], CertificateState] = {
    (CertificateState.VALID, CertificateMove.SUSPEND): CertificateState.SUSPENDED,
    (CertificateState.SUSPENDED, CertificateMove.RESTORE): CertificateState.VALID,
    (CertificateState.VALID, CertificateMove.WITHDRAW): CertificateState.WITHDRAWN,
    (CertificateState.SUSPENDED, CertificateMove.WITHDRAW): CertificateState.WITHDRAWN,
    (CertificateState.VALID, CertificateMove.EXPIRE): CertificateState.EXPIRED,
    (CertificateState.SUSPENDED, CertificateMove.EXPIRE): CertificateState.EXPIRED,
    (CertificateState.VALID, CertificateMove.REPLACE): CertificateState.EXPIRED,
    (CertificateState.SUSPENDED, CertificateMove.REPLACE): CertificateState.EXPIRED,
    (CertificateState.VALID, CertificateMove.SURVEILLANCE): CertificateState.VALID,
    (CertificateState.SUSPENDED, CertificateMove.SURVEILLANCE): CertificateState.SUSPENDED,
    (CertificateState.VALID, CertificateMove.AMEND): CertificateState.VALID,
    (CertificateState.SUSPENDED, CertificateMove.AMEND): CertificateState.SUSPENDED,
}
NEEDS_REASON = frozenset({CertificateMove.SUSPEND, CertificateMove.RESTORE, CertificateMove.WITHDRAW,
                          CertificateMove.AMEND})

# Letters and digits nobody misreads: no 0/O, 1/I/L, 5/S, 2/Z, 8/B.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8


def check_move(state: str, move: CertificateMove, *, reason: str = "", today: date, expires_on: date,
               state_since: date | None = None, scheme: Scheme | None = None) -> CertificateState:
    """The state `move` leads to from `state`; InvalidTransition when the table forbids it, InvalidInput when the
    move's own rule (reason, expiry date, suspension limit) is broken."""
    target = TRANSITIONS.get((CertificateState(state), CertificateMove(move)))
    label = CERTIFICATE_MOVE_LABELS[CertificateMove(move)]
    if target is None:
        raise InvalidTransition(f"证书处于“{CERTIFICATE_STATE_LABELS[CertificateState(state)]}”状态，不能{label}"
                                + ("（已撤销或过期的证书不能再变更）" if state in FINAL else ""))
    if move in NEEDS_REASON and not reason:
        raise InvalidInput(f"{label}证书必须写明理由（不超过 {Limit.REASON} 字）")
    if len(reason) > Limit.REASON:
        raise InvalidInput(f"理由不能超过 {Limit.REASON} 字")
    if move == CertificateMove.EXPIRE and not expired_on(expires_on, today):
        raise InvalidInput(f"证书有效期至 {expires_on:%Y-%m-%d}，到期前不能按到期失效处理")
    if move in (CertificateMove.SUSPEND, CertificateMove.RESTORE) and expired_on(expires_on, today):
        raise InvalidInput(f"证书已于 {expires_on:%Y-%m-%d} 到期，不能{label}")
    if move == CertificateMove.RESTORE and state_since and scheme and today > suspension_ends(state_since, scheme):
        raise InvalidInput(f"证书自 {state_since:%Y-%m-%d} 暂停，已超过 {scheme.suspension_max_months} 个月的暂停期限"
                           f"（至 {suspension_ends(state_since, scheme):%Y-%m-%d}），不能恢复，应撤销证书")
    return target


def check_suspension(suspended_on: date, until: date, scheme: Scheme) -> None:
    """A suspension ends after it starts and no later than the scheme allows."""
    last = suspension_ends(suspended_on, scheme)
    if until <= suspended_on:
        raise InvalidInput("暂停期限须晚于暂停日期")
    if until > last:
        raise InvalidInput(f"暂停期限最长 {scheme.suspension_max_months} 个月：自 {suspended_on:%Y-%m-%d} 起最晚至 "
                           f"{last:%Y-%m-%d}")


def expired_on(expires_on: date, today: date) -> bool:
    """A certificate is valid through its expiry date and expired from the day after."""
    return today > expires_on


def shown_state(state: str, expires_on: date, today: date) -> CertificateState:
    """The state as of today: a live certificate past its expiry date is expired even before the job records it."""
    state = CertificateState(state)
    return CertificateState.EXPIRED if state in LIVE and expired_on(expires_on, today) else state


def expiry_day(expires_on: date) -> date:
    """The day an expired certificate stopped being valid."""
    return expires_on + timedelta(days=1)


def check_dates(issued_on: date, expires_on: date, decided_on: date) -> None:
    if issued_on < decided_on:
        raise InvalidInput(f"发证日期不能早于认证决定日期 {decided_on:%Y-%m-%d}")
    if expires_on <= issued_on:
        raise InvalidInput("证书有效期截止日期必须晚于发证日期")


def certificate_number(pattern: str, year: int, seq: int) -> str:
    """The number for the `seq`-th certificate of `year` under the settings' pattern ({year}, {seq})."""
    return pattern.format(year=year, seq=seq)


def new_check_code() -> str:
    """A short random code the public types beside the number (not guessable from it)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(code: str) -> str:
    """What a person typed as a code, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(code or "").upper() if ch not in " -\t")[:40]
