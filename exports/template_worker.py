"""Renders one body template in a process of its own (`python -m exports.template_worker`), so a template that
loops without end is stopped by the caller's time limit and nothing it does reaches the app's process.

Reads JSON from stdin: {"template": base64 .docx, "variables": {...}, "images": {name: base64 PNG}, "widths": {name: cm}}; writes the
.docx to stdout, or exits 2 with {"error": kind, "detail": text} on stderr. Jinja runs sandboxed (no attributes
starting with "_", no unsafe calls), escapes every value (a finding's "<" and "&" stay text), and refuses a
variable the context does not hold.
"""
from __future__ import annotations

import base64
import io
import json
import sys

from docx import Document
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from exports.docx_kit import CONTENTS_MARK, drop_theme_fonts, fill_contents, save

CHART_WIDTH_CM = 16


def environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def render(template: bytes, variables: dict, images: dict[str, bytes], widths: dict[str, float] | None = None) -> bytes:
    tpl = DocxTemplate(io.BytesIO(template))
    context = dict(variables)
    for name, png in images.items():
        context[name] = InlineImage(tpl, io.BytesIO(png), width=Cm((widths or {}).get(name, CHART_WIDTH_CM)))
    tpl.render(context, jinja_env=environment())
    out = io.BytesIO()
    tpl.save(out)
    doc = Document(io.BytesIO(out.getvalue()))
    drop_theme_fonts(doc)
    spot = next((p for p in doc.paragraphs if p.text.strip() == CONTENTS_MARK), None)
    if spot is not None:
        for run in spot.runs:
            run.text = ""
        fill_contents(doc, spot)
    return save(doc)


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    try:
        data = render(base64.b64decode(request["template"]), request["variables"],
                      {k: base64.b64decode(v) for k, v in request.get("images", {}).items()},
                      request.get("widths"))
    except SecurityError as exc:
        return _fail("security", str(exc))
    except UndefinedError as exc:
        return _fail("undefined", str(exc))
    except TemplateSyntaxError as exc:
        return _fail("syntax", f"{exc.message}（第 {exc.lineno} 行）")
    except Exception as exc:  # a template is the body's input: any failure is reported, never raised further
        return _fail("other", f"{type(exc).__name__}: {exc}")
    sys.stdout.buffer.write(data)
    return 0


def _fail(kind: str, detail: str) -> int:
    sys.stderr.write(json.dumps({"error": kind, "detail": detail[:500]}, ensure_ascii=False))
    return 2


if __name__ == "__main__":
    sys.exit(main())
