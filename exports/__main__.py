"""`python -m exports`: Word documents from a snapshot or assessment file (no database: see `python -m dossier`)."""
from __future__ import annotations

import argparse
from pathlib import Path

from clitools import run
from config import settings
from criteria.registry import TreeRegistry
from errors import InvalidInput
from exports.archive import archive_problems
from exports.context import build_report_context
from exports.documents import DOCUMENTS, render_document, template_kind
from exports.templates import check_template
from scoring.files import load_assessment, read_json_file
from vocabulary import DocumentKind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exports", description="由项目快照生成 Word 文件")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (label, _) in DOCUMENTS.items():
        document = sub.add_parser(name, help=f"由项目快照（或评价 JSON）生成 Word {label}")
        document.add_argument("snapshot")
        document.add_argument("-o", "--output", required=True)
        document.add_argument("--body-template", help="认证机构的 .docx 表单（含 {{ 变量 }}，见 docs/template-variables.md）")
        if name == DocumentKind.REPORT:
            document.add_argument("--template", help="仅提供样式和页眉页脚的 .docx 底稿（内置版式写在其上）")
    verify = sub.add_parser("verify", help="按清单核对项目归档 ZIP 中每个文件的 SHA-256")
    verify.add_argument("archive")
    args = parser.parse_args(argv)
    if args.command == "verify":
        return _verify(Path(args.archive))
    registry = TreeRegistry([settings().extra_trees_dir])
    snapshot = read_json_file(args.snapshot)
    tree, _ = load_assessment(snapshot, registry)
    context = build_report_context(snapshot, tree, zone=settings().timezone)
    template = Path(args.template) if getattr(args, "template", None) else None
    if template is not None and not template.is_file():
        raise InvalidInput(f"模板 {template} 不存在")
    if args.body_template:
        form = Path(args.body_template)
        if not form.is_file():
            raise InvalidInput(f"模板 {form} 不存在")
        check_template(form.read_bytes(), timeout=settings().template_timeout_seconds,
                       kind=template_kind(args.command, context.engagement.get("kind")))
        Path(args.output).write_bytes(render_document(args.command, context, form.read_bytes(),
                                                      body_name=settings().body_name,
                                                      timeout=settings().template_timeout_seconds))
        print(f"已生成 {args.output}")
        return 0
    render = DOCUMENTS[args.command][1]
    Path(args.output).write_bytes(render(context, template) if template else render(context))
    print(f"已生成 {args.output}")
    return 0


def _verify(archive: Path) -> int:
    problems = archive_problems(archive)
    if problems:
        raise InvalidInput(f"归档 {archive} 未通过核对：" + "；".join(problems))
    print(f"归档 {archive} 与清单一致")
    return 0


if __name__ == "__main__":
    run(main)
