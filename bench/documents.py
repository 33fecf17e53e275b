"""Benchmarks of the documents a body issues (issue 18): a document of the large engagement from the body's
template against the built-in layout, and a PDF archive of the whole engagement against LibreOffice converting the
same Word files by itself, each in the same run."""
from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.figures import Figure
from exports.archive import Member, archive_problems, write_archive
from exports.context import ReportContext
from exports.documents import DOCUMENTS, render_document
from exports.pdf import docx_to_pdfs, office_program

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "templates" / "example-report.docx"


def document_figures(context: ReportContext, timed) -> list[Figure]:
    template = EXAMPLE.read_bytes()
    built_in, _ = timed(lambda: render_document("report", context), repeat=3)
    from_template, _ = timed(lambda: render_document("report", context, template), repeat=3)
    figures = [Figure("report of the large engagement from the body's template (wall time)", from_template, built_in,
                      "s", 2.0, "floor: the same report in the built-in layout; the template renders in a worker "
                      "process under its time limit")]
    if office_program() is not None:
        figures.append(_archive(context, timed))
    return figures


def _archive(context: ReportContext, timed) -> Figure:
    documents = {name: render_document(name, context) for name in DOCUMENTS}

    def archive() -> None:
        pdfs = docx_to_pdfs([documents[name] for name in DOCUMENTS])
        members = []
        for name, pdf in zip(DOCUMENTS, pdfs, strict=True):
            for suffix, data in ((".docx", documents[name]), (".pdf", pdf)):
                members.append(Member(f"documents/{name}{suffix}", lambda data=data: io.BytesIO(data),
                                      hashlib.sha256(data).hexdigest()))
        path = write_archive(members, {"engagement": context.engagement.get("id")})
        try:
            if archive_problems(path):
                raise AssertionError("the archive does not match its manifest")
        finally:
            path.unlink()

    def office_alone() -> None:
        with tempfile.TemporaryDirectory() as folder:
            sources = []
            for name, data in documents.items():
                sources.append(Path(folder) / f"{name}.docx")
                sources[-1].write_bytes(data)
            subprocess.run([shutil.which("soffice"), f"-env:UserInstallation={Path(folder, 'p').as_uri()}",
                            "--headless", "--convert-to", "pdf", "--outdir", folder, *map(str, sources)],
                           check=True, capture_output=True, timeout=600)
    measured, _ = timed(archive)
    floor, _ = timed(office_alone)
    return Figure("PDF archive of the engagement's documents (wall time)", measured, floor, "s", 3.0,
                  f"{len(documents)} documents as Word and PDF, hashed into a manifest, zipped on disk and checked; "
                  "floor: LibreOffice converting the same Word files by itself")
