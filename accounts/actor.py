"""The acting user, passed to every service so that changes record who made them."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    name: str
    user_id: int | None = None
    role: str = "assessor"
    company_id: int | None = None
