"""Password hashing with argon2id, and the rules a new password must meet."""
from __future__ import annotations

import os
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 256


@lru_cache
def hasher() -> PasswordHasher:
    if os.environ.get("AUDIT_FAST_PASSWORD_HASH") == "1":  # tests only: same algorithm, tiny cost
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@lru_cache
def dummy_hash() -> str:
    """Verified against when the user does not exist, so that path costs the same as a wrong password."""
    return hasher().hash("no such user: a password nobody can type \u0000")


def check_new_password(password: str, username: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"密码至少 {MIN_LENGTH} 个字符")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"密码不能超过 {MAX_LENGTH} 个字符")
    if password.strip().lower() == username.strip().lower():
        raise InvalidInput("密码不能与用户名相同")
    if len(set(password)) < 4:
        raise InvalidInput("密码过于简单，请混合使用不同的字符")
