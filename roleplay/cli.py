"""The `roleplay` command. Heavy parts (the UI, video) are imported only when used."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Sequence

from roleplay.core.participants import parse_participants

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_EOF = 0, 1, 2, 3


def _error(message: str) -> int:
    print(f"roleplay: error: {message}", file=sys.stderr)
    return EXIT_FAIL


def _load(ref: str):
    """A valid scenario for a SCENARIO argument, or (None, exit code) after printing why."""
    from roleplay.core.library import NotFound, resolve
    from roleplay.core.loader import load_scenario

    try:
        path = resolve(ref)
    except NotFound as exc:
        return None, _error(str(exc))
    result = load_scenario(path)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if not result.ok:
        return None, _error(f"{path} is not a valid scenario")
    return (result.scenario, path), EXIT_OK


def _load_for_people(args: argparse.Namespace):
    """(scenario, path, participants) for commands that take SCENARIO and --participants, or (None, exit code)."""
    loaded, code = _load(args.scenario)
    if loaded is None:
        return None, code
    participants = parse_participants(args.participants)
    if not participants:
        return None, _error("--participants needs names separated by commas, or a number")
    return (*loaded, participants), EXIT_OK


# ----- list / validate / graph / new ----------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from roleplay.core.library import summaries

    rows = []
    for row in summaries():
        if not row["ok"]:
            rows.append((row["id"], f"INVALID: {row['problem']}" if row["problem"] else "INVALID", "", "", "", row["source"]))
            continue
        titles = row["titles"]
        title = titles.get(args.language or "", titles.get(row["fallback"], next(iter(titles.values()))))
        size = f"{row['group_min']}-{row['group_max']}" if row["group_max"] else f"{row['group_min']}+"
        rows.append((row["id"], title, f"{row['duration'] // 60} min", size, ",".join(row["languages"]), row["source"]))
    if args.format == "json":
        keys = ("id", "title", "duration", "group_size", "languages", "source")
        print(json.dumps([dict(zip(keys, row)) for row in rows], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        print("no scenarios found")
        return EXIT_OK
    header = ("ID", "TITLE", "DURATION", "GROUP", "LANGUAGES", "SOURCE")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from roleplay.core.library import scenario_files
    from roleplay.core.loader import load_scenario
    from roleplay.core.problems import Problem

    problems: list[Problem] = []
    checked = 0
    for ref in args.paths:
        path = Path(ref)
        if path.is_dir():
            files = scenario_files(path)
            if not files:
                problems.append(Problem(ref, 1, 1, "warning", "no .yaml or .yml files in this folder"))
            for file in files:
                problems += load_scenario(file).problems
                checked += 1
        elif path.exists():
            problems += load_scenario(path).problems
            checked += 1
        else:
            problems.append(Problem(ref, 1, 1, "error", "no such file or folder"))
    errors = sum(p.severity == "error" for p in problems)
    if args.format == "json":
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            print(problem)
        warnings = len(problems) - errors
        summary = f"{checked} file(s) checked: {errors} error(s), {warnings} warning(s)"
        print(summary, file=sys.stderr)
    return EXIT_FAIL if errors else EXIT_OK


def cmd_graph(args: argparse.Namespace) -> int:
    from roleplay.core import graph

    loaded, code = _load(args.scenario)
    if loaded is None:
        return code
    scenario, _ = loaded
    render = graph.dot if args.format == "dot" else graph.mermaid
    sys.stdout.write(render(scenario, args.language))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from roleplay.core.template import render_template

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", args.id) or len(args.id) > 64:
        return _error(f"'{args.id}' is not a valid id: use lower-case letters, digits and hyphens")
    folder = Path(args.dir)
    target = folder / f"{args.id}.yaml"
    if target.exists():
        return _error(f"{target} exists already; pick another id or delete it first")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(render_template(args.id, folder), encoding="utf-8")
    except OSError as exc:
        return _error(f"cannot write {target}: {exc.strerror or exc}")
    print(f"wrote {target}: edit it, then run: roleplay validate {target}")
    return EXIT_OK


# ----- play --------------------------------------------------------------------------


def cmd_play(args: argparse.Namespace) -> int:
    from roleplay.core.commands import run_command
    from roleplay.core.engine import CommandError, GuardWarning, Session
    from roleplay.core.log import LogError
    from roleplay.core.paths import recordings_root

    loaded, code = _load_for_people(args)
    if loaded is None:
        return code
    scenario, path, participants = loaded

    def show(event) -> None:
        print(json.dumps(event.as_dict(), ensure_ascii=False), flush=True)

    try:
        session = Session.start(
            scenario,
            participants,
            root=Path(args.out) if args.out else recordings_root(),
            seed=args.seed,
            language=args.language,
            scenario_path=str(path),
            listeners=[show],
        )
    except (CommandError, LogError) as exc:
        return _error(str(exc))
    print(f"session folder: {session.folder}", file=sys.stderr)
    try:
        for line in sys.stdin:
            if session.ended:
                break
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line == "help":
                from roleplay.core.commands import USAGE, available

                for name in available(session):
                    print(f"  {USAGE.get(name, name + '   (route to another phase)')}", file=sys.stderr)
                continue
            try:
                run_command(session, line)
            except GuardWarning as warning:
                print(f"warning: {warning.message} (to go on anyway: {warning.trigger} again)", file=sys.stderr)
            except CommandError as exc:
                print(f"roleplay: error: {exc}", file=sys.stderr)
                return EXIT_FAIL
        if session.ended:
            return EXIT_OK
        print(f"input ended in phase '{session.phase}' before a final phase was reached", file=sys.stderr)
        return EXIT_EOF
    except LogError as exc:
        return _error(str(exc))
    finally:
        session.close()


# ----- the parser ---------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roleplay",
        description="Psychodrama role-play trainer. Without a command, opens the trainer's app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="list built-in and local scenarios", description="List built-in scenarios and those under ./scenarios.")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--language", help="language for titles (default: each scenario's first)")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser(
        "validate",
        help="check scenario files",
        description="Check scenario files or folders. Exit 0 when valid (warnings allowed), 1 on any error, 2 on a usage error.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="scenario files or folders")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("graph", help="print a scenario's state diagram", description="Print the state diagram of a scenario.")
    p.add_argument("scenario", metavar="SCENARIO", help="an id (built-in or under ./scenarios) or a path")
    p.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    p.add_argument("--language")
    p.set_defaults(handler=cmd_graph)

    p = sub.add_parser("new", help="write a new scenario from a template", description="Write scenarios/ID.yaml from a commented template that validates.")
    p.add_argument("id", metavar="ID")
    p.add_argument("--dir", default="scenarios", help="folder to write into (default: scenarios)")
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser(
        "play",
        help="run a session headless, one command per line on standard input",
        description=(
            "Run a session without the app: one command per line on standard input "
            "(next, a trigger name, timeout, note TEXT, mark LABEL, ...; 'help' lists them). "
            "Prints every event as a JSON line. Exit 0 at a final phase, 1 on an invalid command, 3 when input ends first."
        ),
    )
    p.add_argument("scenario", metavar="SCENARIO", help="an id (built-in or under ./scenarios) or a path")
    p.add_argument("--participants", required=True, help='names separated by commas ("Ana,Ben,Cleo") or a number')
    p.add_argument("--seed", type=int, default=None, help="seed for dealing roles and cards")
    p.add_argument("--language", help="one of the scenario's languages")
    p.add_argument("--out", metavar="DIR", help="folder for session folders (default: ./recordings in a checkout)")
    p.set_defaults(handler=cmd_play)

    for register in _extensions():
        register(sub)
    return parser


def _extensions():
    """Subcommands that live beside the core (reports, video...), added if present."""
    import importlib

    for module in (
        "roleplay.report_commands",
        "roleplay.video.commands",
        "roleplay.video.replay_commands",
        "roleplay.ui.commands",
    ):
        try:
            yield importlib.import_module(module).register
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        try:
            from roleplay.ui.commands import open_app
        except ModuleNotFoundError:
            parser.print_help()
            return EXIT_OK
        return open_app(args)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
