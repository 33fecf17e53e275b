"""The download of a file a page built on disk (a backup, an archive; dossier.built): a link to the server's
streamed route when the app is served with it, else (`streamlit run audit_app.py` alone) a download button, whose
bytes then go through the session."""
from __future__ import annotations

from pathlib import Path

from dossier.built import token_of
from web import routes


def offer_built(column, label: str, kind: str, engagement_id: int, path: Path, file_name: str, key: str) -> None:
    """`kind` is the route's folder: backups or archives (web/files.py)."""
    if routes.ACTIVE:
        column.link_button(label, f"/{kind}/{engagement_id}/{token_of(path)}", key=key, icon=":material/download:")
    else:
        column.download_button(label, path.read_bytes, file_name=file_name, mime="application/zip", key=key,
                               icon=":material/download:")
