"""Calls into the core that the UI makes from workers, each behind one small function.

Nothing here imports Textual, so these run in worker threads and in tests alike.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from roleplay.core.log import write_private_text
from roleplay.core.folder import SessionFolder
from roleplay.core.report import to_markdown
from roleplay.core.resources import CountryResources, ResourcesError, load_resources
from roleplay.core.sessions import SessionInfo
from roleplay.core.sessions import list_sessions as core_list_sessions


def report_markdown(session) -> str:
    """The report exactly as `roleplay report` writes it."""
    return to_markdown(session)


def report_html(session) -> str:
    from roleplay.pages.report import report_html as page  # Jinja2 loads only when a page is made

    return page(session)


def summary_markdown(session) -> str:
    """The report for the summary screen: `roleplay report`'s Markdown, every data text escaped."""
    from roleplay.core.report import to_markdown

    return to_markdown(session)


def export_report(session, fmt: str, folder: Path | None = None) -> Path:
    """Write report.md / report.html into the session folder (private, like the log); returns the path."""
    text = report_markdown(session) if fmt == "md" else report_html(session)
    folder = Path(folder or session.folder or Path.cwd())
    path = folder / f"report.{fmt}"
    write_private_text(path, text)
    return path


def started_text(info: SessionInfo) -> str:
    return datetime.fromtimestamp(info.started).strftime("%Y-%m-%d %H:%M") if info.started else "?"


def list_sessions(root: Path) -> list[SessionInfo]:
    """Past sessions under root, newest first."""
    return core_list_sessions(Path(root))


def support_resources(country: str | None = None, language: str | None = None) -> tuple[CountryResources | None, str]:
    """The support lines for a country (else the default for the session's language), or None and a
    message saying what is missing and where."""
    try:
        return load_resources(country, language), ""
    except ResourcesError as exc:
        return None, str(exc)


def has_video(folder: Path | None) -> bool:
    """Does the session folder hold recorded segments? (A stat and a small read: no video imports.)"""
    if folder is None:
        return False
    index = SessionFolder(Path(folder)).video_index
    try:
        return index.stat().st_size > 0
    except OSError:
        return False


def recording_encrypted(folder: Path) -> bool:
    """Is the recording encrypted (its key file exists)? The passphrase is asked before replay."""
    return SessionFolder(Path(folder)).video_key.exists()
