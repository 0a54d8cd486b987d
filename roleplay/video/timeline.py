"""The recording's own timeline and the moments marked on it.

Recording time: takes and segments are laid end to end, and the time between
them (the recorder stopped, the camera was lost) is left out. Watching
together, nobody wants to sit through seconds of nothing; a take boundary is
shown as a mark instead. A logged event that happened while nothing was
filmed lands at the start of the next stretch of video, marked off-camera.

A session without video keeps a timeline too: then recording time is simply
seconds since the session started, so its notes can still be read in order.

Session-log times (`mono`) and the video index share one clock. Reflections
written during replay carry their recording time (`at`) and are placed by it:
the log stamps them with the clock of the day they were written.

Pure Python: no numpy, av or textual, so the CLI parser can import it cheaply.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from roleplay.core import events as ev
from roleplay.core.i18n import _
from roleplay.core.log import LogError, LogEvent, read_log

if TYPE_CHECKING:
    from roleplay.core.sealing import Opener
from roleplay.core.text import localize

# Marks a watcher jumps between with [ and ]; notes and reflections too, since
# they are what people want to find again.
KINDS = ("phase", "marker", "note", "event", "pause", "resume", "reflection", "take", "technique")


class MarkError(Exception):
    """A MARK that names no mark or time; the message lists the marks there are."""


@dataclass(frozen=True)
class Span:
    """One segment's stretch: session clock [start, end) shown from recording time `at`."""

    start: float
    end: float
    at: float
    segment: int
    take: int

    @property
    def length(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Mark:
    at: float  # recording seconds
    kind: str  # one of KINDS
    label: str  # what the timeline shows
    names: tuple[str, ...] = ()  # what `clip --from/--to` accepts for it
    text: str = ""  # a note's or reflection's words
    by: str | None = None  # who wrote a reflection
    on_camera: bool = True  # False: it happened while nothing was filmed
    seq: int = 0


@dataclass
class Timeline:
    spans: list[Span]
    marks: list[Mark]
    duration: float
    origin: float = 0.0  # session clock of recording time 0 when there is no video
    notices: list[str] = field(default_factory=list)
    _starts: list[float] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._starts = [s.at for s in self.spans]

    @property
    def has_video(self) -> bool:
        return bool(self.spans)

    # -- clock conversions ---------------------------------------------------

    def to_recording(self, mono: float) -> tuple[float, bool]:
        """(recording seconds, filmed?) for a session-clock time."""
        if not self.spans:
            return min(max(0.0, mono - self.origin), self.duration), True
        for span in self.spans:  # a few thousand spans at most; called once per log event
            if mono < span.start:
                return span.at, False
            if mono <= span.end:
                return span.at + (mono - span.start), True
        return self.duration, False

    def to_session(self, at: float) -> float:
        if not self.spans:
            return self.origin + at
        span = self.spans[self.span_index(at)]
        return span.start + min(max(0.0, at - span.at), span.length)

    def span_index(self, at: float) -> int:
        """The span holding recording time `at` (the first or last one outside the range)."""
        return max(0, min(bisect.bisect_right(self._starts, at) - 1, len(self.spans) - 1))

    # -- moving between marks -------------------------------------------------

    def next_mark(self, at: float, slack: float = 0.05) -> Mark | None:
        return next((m for m in self.marks if m.at > at + slack), None)

    def previous_mark(self, at: float, slack: float = 0.05) -> Mark | None:
        # The slack lets a second press go further back instead of landing on the same mark.
        return next((m for m in reversed(self.marks) if m.at < at - slack), None)

    # -- MARK arguments ---------------------------------------------------------

    def resolve(self, text: str) -> float:
        """A time (`90`, `01:30`, `1:02:03.5`) or a mark's name (first match, any case)."""
        seconds = parse_time(text)
        if seconds is not None:
            if seconds > self.duration + 1e-6:
                raise MarkError(_("{text} is after the end of the recording ({end})").format(text=text, end=format_time(self.duration)))
            return seconds
        wanted = text.strip().casefold()
        for mark in self.marks:
            if any(name.casefold() == wanted for name in mark.names):
                return mark.at
        raise MarkError(_("no mark called '{text}'. {marks}").format(text=text, marks=self.describe_marks()))

    def describe_marks(self) -> str:
        named = [m for m in self.marks if m.names]
        if not named:
            return _("This session has no named marks; give a time such as 01:30 or 90.")
        listed = "; ".join(f"{format_time(m.at)} {' / '.join(dict.fromkeys(m.names))}" for m in named)
        return _("Marks: {marks}. Or give a time such as 01:30 or 90.").format(marks=listed)


_TIME = re.compile(r"^\s*(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d*)?)\s*$")


def parse_time(text: str) -> float | None:
    """Seconds for `90`, `90.5`, `01:30`, `1:02:03`; None if it is not a time."""
    match = _TIME.match(text)
    if not match:
        return None
    first, second, last = match.groups()
    if second is not None:  # h:m:s
        return int(first) * 3600 + int(second) * 60 + float(last)
    if first is not None:  # m:s
        return int(first) * 60 + float(last)
    return float(last)


def format_time(seconds: float) -> str:
    seconds = max(0.0, seconds)
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}" if hours else f"{minutes:02d}:{rest:02d}"


# -- building a timeline from a session folder --------------------------------------


def spans_from_index(entries) -> list[Span]:
    """Segments end to end in index order; `entries` are SegmentEntry-like."""
    spans, at = [], 0.0
    for entry in entries:
        span = Span(entry.start, entry.end, at, entry.segment, entry.take)
        spans.append(span)
        at += span.length
    return spans


def load_timeline(folder: Path, passphrase: str | None = None, opener: "Opener | None" = None) -> Timeline:
    """The timeline of a session folder. A damaged index or log is a notice, not a failure.

    An encrypted session's log is read with `opener` (a key unlocked once), or with a key unlocked
    here from `passphrase`; without either the video plays without marks.
    """
    from roleplay.core.folder import SessionFolder
    from roleplay.core.sealing import SealingError, opener_if_sealed
    from roleplay.video.segments import read_index  # numpy and av come with it; only when loading

    folder = Path(folder)
    notices: list[str] = []
    try:
        entries = read_index(folder)
    except ValueError as exc:
        notices.append(_("the video index is damaged ({exc}); showing the timeline without video").format(exc=exc))
        entries = []
    try:
        if opener is None:
            opener = opener_if_sealed(SessionFolder(folder), passphrase)
        events = read_log(folder, opener=opener)
    except (LogError, SealingError) as exc:
        notices.append(_("{exc}; showing the video without marks").format(exc=exc))
        events = []
    return build_timeline(spans_from_index(entries), events, notices)


def build_timeline(spans: list[Span], events: list[LogEvent], notices: list[str] | None = None) -> Timeline:
    notices = list(notices or [])
    session_events = [e for e in events if e.type != "reflection"]
    if spans:
        duration, origin = spans[-1].at + spans[-1].length, spans[0].start
    elif session_events:
        origin = session_events[0].mono
        ended = next((e.mono for e in session_events if e.type == "session_ended"), None)
        duration = max(0.0, (ended if ended is not None else session_events[-1].mono) - origin)
    else:
        duration, origin = 0.0, 0.0
    timeline = Timeline(spans, [], duration, origin, notices)
    marks: list[Mark] = []
    phases, titles, language, fallback = _scenario_names(events)
    for event in events:
        mark = _mark_for(event, timeline, phases, titles, language, fallback)
        if mark is not None:
            marks.append(mark)
    for before, after in zip(spans, spans[1:]):
        if after.take != before.take:
            take = _("take {number}").format(number=after.take)
            marks.append(Mark(after.at, "take", take, (take,)))
    marks.sort(key=lambda m: (m.at, m.seq))
    timeline.marks = marks
    return timeline


def _scenario_names(events: list[LogEvent]):
    first = events[0].body if events else None
    if not isinstance(first, ev.SessionStarted):
        return {}, {}, "en", "en"
    data = first.scenario_data or {}
    phases = data.get("phases") if isinstance(data.get("phases"), dict) else {}
    injected = {e.get("id"): e.get("title") for e in data.get("events", []) if isinstance(e, dict)}
    return phases, injected, first.language or "en", data.get("fallback") or "en"


def _title(value, language: str, fallback: str) -> str:
    try:
        return localize(value, language, fallback) if value else ""
    except (TypeError, AttributeError, StopIteration):
        return ""


def _mark_for(event: LogEvent, timeline: Timeline, phases, titles, language, fallback) -> Mark | None:
    b = event.body
    if isinstance(b, ev.Reflection):
        at = min(max(0.0, b.at), timeline.duration)
        by = b.by or _("someone")
        return Mark(at, "reflection", f"{by}: {b.text}", (), b.text, by, True, event.seq)
    at, filmed = timeline.to_recording(event.mono)
    if isinstance(b, ev.PhaseEntered):
        info = phases.get(b.phase) if isinstance(phases.get(b.phase), dict) else {}
        title = _title(info.get("title"), language, fallback)
        names = tuple(n for n in (b.phase, title) if n)
        return Mark(at, "phase", _("phase: {title}").format(title=title or b.phase), names, on_camera=filmed, seq=event.seq)
    if isinstance(b, ev.Marker):
        return Mark(at, "marker", _("marker: {label}").format(label=b.label), (b.label,) if b.label else (), on_camera=filmed,
                    seq=event.seq)
    if isinstance(b, ev.Note):
        return Mark(at, "note", _("note: {text}").format(text=b.text), (), b.text, on_camera=filmed, seq=event.seq)
    if isinstance(b, ev.EventInjected):
        title = _title(titles.get(b.event), language, fallback)
        names = tuple(n for n in (b.event, title) if n)
        return Mark(at, "event", _("event: {title}").format(title=title or b.event), names, on_camera=filmed, seq=event.seq)
    if isinstance(b, ev.Paused):
        label = _("time-out: {reason}").format(reason=b.reason) if b.reason else _("time-out")
        return Mark(at, "pause", label, on_camera=filmed, seq=event.seq)
    if isinstance(b, ev.Resumed):
        return Mark(at, "resume", _("time-out over"), on_camera=filmed, seq=event.seq)
    if isinstance(b, ev.TechniqueUsed):  # psychodrama (issue 12): "technique: Doubling (Ana, Cleo)"
        from roleplay.core.techniques import TECHNIQUES

        name = str(TECHNIQUES[b.technique].name) if b.technique in TECHNIQUES else b.technique
        label = _("technique: {name}").format(name=name) + (f" ({', '.join(b.who)})" if b.who else "") + (f": {b.note}" if b.note else "")
        return Mark(at, "technique", label, (b.technique, name), b.note, on_camera=filmed, seq=event.seq)
    return None


def add_reflection(folder: Path, timeline: Timeline, by: str, text: str, at: float) -> Mark:
    """Write a reflection to the session log and put it on the timeline."""
    from roleplay.core.log import SessionLog

    by, text = by.strip(), text.strip()
    if not by:
        raise ValueError(_("a reflection needs the name of who wrote it"))
    if not text:
        raise ValueError(_("a reflection needs some text"))
    at = min(max(0.0, at), timeline.duration)
    with SessionLog(Path(folder)) as log:
        event = log.append(ev.Reflection(by=by, text=text, at=round(at, 3), mono=round(timeline.to_session(at), 6)))
    mark = Mark(at, "reflection", f"{by}: {text}", (), text, by, True, event.seq)
    timeline.marks.append(mark)
    timeline.marks.sort(key=lambda m: (m.at, m.seq))
    return mark
