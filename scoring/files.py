"""Read an assessment (or project snapshot) JSON file and the tree it names; every failure is one clear line."""
from __future__ import annotations

import json
from pathlib import Path

from criteria.model import Tree
from criteria.registry import TreeRegistry
from errors import AssessmentInvalid
from scoring.assessment import Assessment, parse_assessment

MAX_BYTES = 50_000_000


def read_json_file(path: str | Path) -> object:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise AssessmentInvalid(f"{path.name}: 文件过大（上限 {MAX_BYTES // 1_000_000} MB）")
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise AssessmentInvalid(f"{path}: 文件不存在") from None
    except IsADirectoryError:
        raise AssessmentInvalid(f"{path}: 是文件夹，不是评价文件") from None
    except OSError as exc:
        raise AssessmentInvalid(f"{path}: 无法读取（{exc.strerror or exc}）") from None
    except UnicodeDecodeError:
        raise AssessmentInvalid(f"{path.name}: 不是 UTF-8 编码的 JSON 文件") from None
    except json.JSONDecodeError as exc:
        raise AssessmentInvalid(f"{path.name}: 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from None
    except RecursionError:
        raise AssessmentInvalid(f"{path.name}: JSON 嵌套过深") from None


def load_assessment(data: object, registry: TreeRegistry) -> tuple[Tree, Assessment]:
    """The tree named by `criteria` and the assessment checked against it."""
    if not isinstance(data, dict):
        raise AssessmentInvalid("评价文件的顶层必须是一个 JSON 对象")
    ref = data.get("criteria")
    if not isinstance(ref, str) or not ref.strip():
        raise AssessmentInvalid("评价文件缺少 “criteria”（所用指标树的 id）")
    tree = registry.get(ref.strip())
    return tree, parse_assessment(data, tree)
