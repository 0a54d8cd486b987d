"""The state diagram of a scenario, as Mermaid or Graphviz dot."""

from __future__ import annotations

from roleplay.core.engine import TIMER_TRIGGER
from roleplay.core.model import Scenario
from roleplay.core.text import localize


def _edges(s: Scenario) -> list[tuple[str, str, str]]:
    edges = []
    for pid, phase in s.phases.items():
        for route in s.routes(pid):
            label = route.trigger
            if route.when is not None:
                label += " [when]"
            if route.guard is not None:
                label += " [check]"
            edges.append((pid, route.to, label))
        if phase.timer and phase.timer.on_expiry != "stay":
            edges.append((pid, phase.timer.on_expiry, TIMER_TRIGGER))
    return edges


def _node(pid: str) -> str:
    return pid.replace("-", "_")


def mermaid(s: Scenario, language: str | None = None) -> str:
    lang = language or s.fallback
    lines = ["stateDiagram-v2"]
    for pid, phase in s.phases.items():
        title = localize(phase.title, lang, s.fallback).replace('"', "'")
        lines.append(f'    state "{title} ({phase.kind})" as {_node(pid)}')
    lines.append(f"    [*] --> {_node(s.start)}")
    for src, dest, label in _edges(s):
        lines.append(f"    {_node(src)} --> {_node(dest)}: {label}")
    for pid, phase in s.phases.items():
        if phase.final:
            lines.append(f"    {_node(pid)} --> [*]")
    return "\n".join(lines) + "\n"


def dot(s: Scenario, language: str | None = None) -> str:
    lang = language or s.fallback
    lines = [f'digraph "{s.id}" {{', "    rankdir=LR;", '    node [shape=box, style=rounded];']
    lines.append('    start [shape=point];')
    for pid, phase in s.phases.items():
        title = localize(phase.title, lang, s.fallback).replace('"', "'")
        shape = ", peripheries=2" if phase.final else ""
        lines.append(f'    "{pid}" [label="{title}\\n({phase.kind})"{shape}];')
    lines.append(f'    start -> "{s.start}";')
    for src, dest, label in _edges(s):
        lines.append(f'    "{src}" -> "{dest}" [label="{label}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
