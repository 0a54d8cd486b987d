"""Calls into the core that the UI makes from workers, each behind one small function.

Some core modules (reports, the sessions index, support resources) arrive in
parallel with the UI; until they exist these functions fall back to a minimal
UI-side version so the app still runs. Nothing here imports Textual.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any


# ----- reports --------------------------------------------------------------------


def report_markdown(session) -> str:
    try:
        from roleplay.core.report import to_markdown
    except ImportError:
        return _fallback_markdown(session)
    return to_markdown(session)


def report_html(session) -> str:
    try:
        from roleplay.core.report import to_html
    except ImportError:
        body = html.escape(_fallback_markdown(session))
        return f"<!doctype html><meta charset='utf-8'><title>Session report</title><pre>{body}</pre>\n"
    return to_html(session)


def export_report(session, fmt: str, folder: Path | None = None) -> Path:
    """Write report.md / report.html into the session folder; returns the path."""
    text = report_markdown(session) if fmt == "md" else report_html(session)
    folder = Path(folder or session.folder or Path.cwd())
    path = folder / f"report.{fmt}"
    path.write_text(text, encoding="utf-8")
    return path


def _fallback_markdown(session) -> str:
    s = session.scenario
    t = session.text
    lines = [f"# {t(s.title)}", "", f"- Participants: {', '.join(session.participants)}"]
    lines.append(f"- Ended: {session.ended or 'not yet'}")
    lines += ["", "## Phases", ""]
    lines += [f"1. {t(s.phases[v.phase].title)}" + (" (forced)" if v.forced else "") for v in session.history]
    if session.ticks:
        lines += ["", "## Checklists", ""]
        lines += [f"- {c} / {i}: {n}" for (c, i), n in sorted(session.ticks.items())]
    for cid, entries in session.entries.items():
        if entries:
            lines += ["", f"## {cid}", ""] + [f"- {e.text}" + (f" [{e.category}]" if e.category else "") for e in entries]
    for vid, counts in session.votes.items():
        if counts:
            lines += ["", f"## Vote {vid}", ""] + [f"- {o}: {n}" for o, n in counts.most_common()]
    if session.notes:
        lines += ["", "## Notes", ""] + [f"- {n['text']}" for n in session.notes]
    if session.answers:
        lines += ["", "## Answers", ""] + [f"- {a['question']}: {a['value']}" for a in session.answers]
    return "\n".join(lines) + "\n"


# ----- past sessions --------------------------------------------------------------


@dataclass
class SessionRow:
    folder: Path
    scenario_id: str
    title: str
    started: float
    participants: list[str]
    ended: str | None
    last_phase: str | None

    @property
    def started_text(self) -> str:
        return datetime.fromtimestamp(self.started).strftime("%Y-%m-%d %H:%M") if self.started else "?"


def list_sessions(root: Path) -> list[SessionRow]:
    """Past sessions under root, newest first."""
    try:
        from roleplay.core.sessions import list_sessions as core_list
    except ImportError:
        core_list = None
    if core_list is not None:
        rows = []
        for info in core_list(Path(root)):
            rows.append(
                SessionRow(
                    Path(_get(info, "folder")),
                    str(_get(info, "scenario_id", _get(info, "scenario", ""))),
                    str(_get(info, "title", "")),
                    float(_get(info, "started", 0) or 0),
                    list(_get(info, "participants", []) or []),
                    _get(info, "ended", None),
                    _get(info, "last_phase", None),
                )
            )
        return sorted(rows, key=lambda r: r.started, reverse=True)
    return _fallback_sessions(Path(root))


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _fallback_sessions(root: Path) -> list[SessionRow]:
    rows: list[SessionRow] = []
    if not root.is_dir():
        return rows
    for log in root.glob("*/session.jsonl"):
        try:
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
            first = json.loads(lines[0])
        except (OSError, ValueError, IndexError):
            continue
        if first.get("type") != "session_started":
            continue
        data = first.get("data", {})
        ended, last_phase = None, None
        for line in lines[1:]:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("type") == "session_ended":
                ended = event.get("data", {}).get("reason", "final")
            elif event.get("type") == "phase_entered":
                last_phase = event.get("data", {}).get("phase")
        rows.append(
            SessionRow(
                log.parent,
                data.get("scenario", ""),
                data.get("title", ""),
                float(first.get("wall", 0)),
                list(data.get("participants", [])),
                ended,
                last_phase,
            )
        )
    return sorted(rows, key=lambda r: r.started, reverse=True)


# ----- support resources ------------------------------------------------------------


def support_resources(country: str | None = None) -> list[Any]:
    try:
        from roleplay.core.resources import load_resources
    except ImportError:
        return []
    try:
        found = load_resources(country)
    except Exception:  # noqa: BLE001 - a missing resource list must not stop a session
        return []
    return list(getattr(found, "resources", found))
