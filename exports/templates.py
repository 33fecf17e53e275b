"""A certification body's .docx template: checked before it is accepted, and rendered with the template
variables in a separate process under a time limit (exports/template_worker.py).

A template is refused, with every problem listed in Chinese, when it is not a readable .docx, carries macros,
uses full-width braces where Jinja needs ASCII ones, has broken tags, names a variable the dictionary does not
hold, or fails a trial render with sample values (a reach for Python internals, a missing variable, a loop that
does not end in time).
"""
from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from jinja2 import TemplateSyntaxError

from errors import InvalidInput
from exports.certificate import qr_png
from exports.certificate_vars import CERTIFICATE_VARIABLES, QR_CODE, sample_certificate_variables
from exports.charts import points_chart
from exports.plan_vars import PLAN_VARIABLES, sample_plan_variables
from exports.template_vars import CHARTS, VARIABLES, sample_variables
from vocabulary import DocumentKind

DEFAULT_TIMEOUT_SECONDS = 60
MAX_UNPACKED_BYTES = 200 * 2**20  # a form is small; more than this unpacked is a zip bomb, not a template
QR_WIDTH_CM = 3.5
PROJECT_DIR = Path(__file__).resolve().parents[1]  # where `-m exports.template_worker` resolves
_FULL_WIDTH = ("｛｛", "｝｝", "｛%", "%｝", "｛％", "％｝")
_TAGS = re.compile(r"<[^>]+>")
_POSITION = re.compile(r" at \d+$")  # Jinja's offset into the document's XML, which means nothing to a user
_MACROS = ("vbaProject.bin", "macroEnabled", "vbaData.xml")
_WORKER_ERRORS = {
    "security": "模板试图访问不允许的内部属性或方法，已拒绝执行：{detail}",
    "undefined": "模板使用了未提供的变量：{detail}",
    "syntax": "模板标记有误：{detail}",
    "other": "模板无法生成文档：{detail}",
}


# the kinds with a dictionary of their own (the others print an engagement's report context): variables, samples
_DICTIONARIES = {DocumentKind.CERTIFICATE: (CERTIFICATE_VARIABLES, sample_certificate_variables),
                 DocumentKind.PLAN: (PLAN_VARIABLES, sample_plan_variables)}


def variables_for(kind: DocumentKind) -> dict[str, str]:
    """The variables a template of `kind` may use, name -> what it holds (shown on the templates page)."""
    return _DICTIONARIES.get(kind, (VARIABLES, sample_variables))[0]


class TemplateRefused(InvalidInput):
    """A template that cannot be used; `problems` lists each reason in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("模板未通过检查，未保存：\n" + "\n".join(f"· {p}" for p in problems))
        self.problems = problems


def template_problems(data: bytes, *, timeout: float = DEFAULT_TIMEOUT_SECONDS,
                      kind: DocumentKind | None = None) -> list[str]:
    """Every reason the template cannot be used as a `kind` template (a certificate and a plan have their own
    variables); empty when it can."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            return [f"文件解压后超过 {MAX_UNPACKED_BYTES // 2**20} MB，不能作为模板"]
        names = archive.namelist()
        types = archive.read("[Content_Types].xml").decode("utf-8", errors="replace")
        body = archive.read("word/document.xml").decode("utf-8", errors="replace")
        xml_parts = [body] + [archive.read(n).decode("utf-8", errors="replace") for n in names
                              if re.fullmatch(r"word/(header|footer)\d*\.xml", n)]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return ["文件不是有效的 Word 文档（.docx），可能已损坏或不是 Word 格式"]
    if any(mark.lower() in name.lower() for name in names for mark in _MACROS) or "macroEnabled" in types:
        return ["文件含宏（.docm 或 vbaProject.bin），含宏的文档不能作为模板"]
    problems = _full_width(xml_parts)
    try:
        used = _variables(data)
    except TemplateSyntaxError as exc:
        return problems + [f"模板标记有误：{_POSITION.sub('', str(exc.message))}（请检查 {{{{ }}}} 和 {{% %}} 是否成对、拼写是否正确）"]
    except Exception:  # docxtpl could not read the document structure
        return problems + ["文件不是有效的 Word 文档（.docx），无法读取其内容"]
    dictionary, samples = _DICTIONARIES.get(kind, (VARIABLES, sample_variables))
    unknown = sorted(used - set(dictionary))
    if unknown:
        problems.append("未知变量：" + "、".join(unknown) + "（可用变量见“文档模板”页的变量表）")
    if problems:
        return problems
    try:
        if kind == DocumentKind.CERTIFICATE:
            render_certificate_template(data, samples(), timeout=timeout)
        else:
            render_template(data, samples(), timeout=timeout)
    except InvalidInput as exc:
        return [exc.message]
    return []


def check_template(data: bytes, *, timeout: float = DEFAULT_TIMEOUT_SECONDS, kind: DocumentKind | None = None) -> None:
    problems = template_problems(data, timeout=timeout, kind=kind)
    if problems:
        raise TemplateRefused(problems)


def _full_width(parts: list[str]) -> list[str]:
    text = "".join(_TAGS.sub("", part) for part in parts)
    found = [mark for mark in _FULL_WIDTH if mark in text]
    return [f"含全角括号“{'”“'.join(found)}”，模板标记应使用半角的 {{{{ }}}} 和 {{% %}}"] if found else []


def _variables(data: bytes) -> set[str]:
    from docxtpl import DocxTemplate  # only where templates are used: the rest of exports does not need it

    from exports.template_worker import environment
    return DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(environment())


def template_variables_used(data: bytes) -> set[str]:
    return _variables(data)


def render_template(data: bytes, variables: dict, *, timeout: float = DEFAULT_TIMEOUT_SECONDS,
                    charts: dict[str, list[tuple[str, float, float]]] | None = None) -> bytes:
    """The document the template makes from `variables`; the charts it names are drawn from `charts` (variable ->
    the bars: label, earned, applicable). Raises InvalidInput with the reason when it cannot."""
    wanted = set(CHARTS) & _variables(data)
    return _rendered(data, variables, {name: points_chart(CHARTS[name], (charts or {}).get(name, []))
                                       for name in wanted}, {}, timeout)


def render_certificate_template(data: bytes, variables: dict, *,
                                timeout: float = DEFAULT_TIMEOUT_SECONDS) -> bytes:
    """The certificate the body's template makes; its QR code points to the variables' verification link."""
    images = {QR_CODE: qr_png(variables["查询链接"])} if QR_CODE in _variables(data) else {}
    return _rendered(data, variables, images, {QR_CODE: QR_WIDTH_CM}, timeout)


def _rendered(data: bytes, variables: dict, images: dict[str, bytes], widths: dict[str, float],
              timeout: float) -> bytes:
    request = json.dumps({"template": base64.b64encode(data).decode(), "variables": variables,
                          "images": {name: base64.b64encode(png).decode() for name, png in images.items()},
                          "widths": widths}, ensure_ascii=False).encode()
    try:
        done = subprocess.run([sys.executable, "-m", "exports.template_worker"], input=request,
                              capture_output=True, timeout=timeout, check=False, cwd=PROJECT_DIR)
    except subprocess.TimeoutExpired:
        raise InvalidInput(f"模板生成文档超过 {timeout:g} 秒，已停止（模板中可能有无尽的循环）") from None
    if done.returncode != 0:
        try:
            failure = json.loads(done.stderr.decode())
            message = _WORKER_ERRORS[failure["error"]].format(detail=failure["detail"])
        except (ValueError, KeyError):
            message = "模板无法生成文档：" + done.stderr.decode(errors="replace")[-300:]
        raise InvalidInput(message)
    return done.stdout
