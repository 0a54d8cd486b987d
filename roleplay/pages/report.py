"""The session report as a web page: `build_report`'s facts laid out by `templates/report.html`.

The facts are gathered once, in `roleplay.core.report` (which also writes the Markdown); this module
only shapes them for the template. The template is rendered by the project's one Jinja2 environment
(autoescape on), so every text from a scenario, a participant or a note is escaped by the template
engine, never by hand. The page is self-contained (inline style, no scripts, no links to fetch):
it opens offline and prints well.
"""

from __future__ import annotations

from typing import Any

from roleplay.core.i18n import _, in_language
from roleplay.core.report import ENTRIES_SCALE, PARTICIPANTS_SCALE, TICK_SPLIT, build_report, removed_text, roles_text, scale_of
from roleplay.pages.render import render

BAR_EM = 12  # the full width of a bar, in em


def bars(rows: list[tuple[str, int]], people: int, what: str = PARTICIPANTS_SCALE) -> dict[str, Any]:
    """A chart against a fixed scale (`scale_of`): each row's label, count and bar width, and what the scale is."""
    scale, says = scale_of([n for _, n in rows], people, what)
    return {
        "rows": [(label, int(n), f"{BAR_EM * min(n, scale) / scale:.1f}") for label, n in rows],
        "says": says,
    }


def report_context(session: Any) -> dict[str, Any]:
    """What the template needs: the report's facts, with the charts and joined texts worked out."""
    r = build_report(session)
    participants = [
        {"name": p["name"], "roles": roles_text(p["roles"]) + (f" ({p['frame']})" if p.get("frame") else ""),
         "cards": "; ".join(p["cards"]), "guesses": ", ".join(p["guesses"])}
        for p in r["participants"]
    ]
    timeline = [
        {**row, "via": _("{via} (went on despite a check)").format(via=row["via"]) if row["forced"] else row["via"]}
        for row in r["timeline"]
    ]
    checklists = [
        {
            **c,
            "chart": bars(c["items"], r["people"]),
            "competency_chart": bars(c["competencies"], r["people"]) if c["competencies"] else None,
        }
        for c in r["checklists"]
    ]
    collections = [
        {
            **c,
            "removed_text": removed_text(c["removed"]) if c["removed"] else "",
            "chart": bars(c["tally"], len(c["entries"]), ENTRIES_SCALE) if c["tally"] else None,
        }
        for c in r["collections"]
    ]
    votes = [{**v, "chart": bars(v["options"], r["people"])} for v in r["votes"]]
    return {
        "r": r,
        "participants": participants,
        "timeline": timeline,
        "checklists": checklists,
        "collections": collections,
        "votes": votes,
        "tick_split": str(TICK_SPLIT),
        # Sections other parts of the program add to the report's facts (psychodrama, issue 12).
        "techniques": r.get("techniques") or [],
        "deroling": r.get("deroling") or [],
    }


def report_html(session: Any) -> str:
    """The report as one self-contained HTML page in the session's language; every text from the data is escaped
    by the template."""
    with in_language(session.language):
        context = report_context(session)
    page = render("report.html", language=session.language, lang=context["r"]["language"] or "en", **context)
    return page + "\n"  # Jinja2 drops the template's last line break; a file ends with one
