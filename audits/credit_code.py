"""The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters ending in a check character."""
import re

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = [pow(3, i, 31) for i in range(17)]
SHAPE = re.compile(f"^[{CHARSET}]{{18}}$")


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None when `code` is a well-formed credit code, else what is wrong with it, in Chinese."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，而输入的是 {len(code)} 位"
    if not SHAPE.match(code):
        return "统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）"
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码的校验位不正确，请核对"
    return None
