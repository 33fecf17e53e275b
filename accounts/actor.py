"""The acting user, passed to every service so that changes record who made them."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """`name` goes into histories; `username` into the audit log; the role is re-read by the access check."""

    name: str
    user_id: int | None = None
    username: str = ""
    role: str = "assessor"
    company_id: int | None = None
