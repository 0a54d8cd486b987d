"""`list`, `validate`, `graph`, `new`: the exercises themselves, and loading a SCENARIO argument."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplay.cli.errors import EXIT_FAIL, EXIT_OK, CliError
from roleplay.cli.output import note, out, out_json, out_lines
from roleplay.cli.parser import SCENARIO_HELP, add_command
from roleplay.core.i18n import _

if TYPE_CHECKING:
    from roleplay.core.model import Scenario


def load(ref: str) -> tuple[Scenario, Path]:
    """A valid scenario for a SCENARIO argument; its problems on standard error, CliError when it is not valid."""
    from roleplay.core.library import NotFound, resolve
    from roleplay.core.loader import load_scenario

    try:
        path = resolve(ref)
    except NotFound as exc:
        raise CliError(str(exc)) from None
    result = load_scenario(path)
    for problem in result.problems:
        note(problem)
    if not result.ok or result.scenario is None:
        raise CliError(_("{path} is not a valid scenario").format(path=path))
    return result.scenario, path


# ----- list ---------------------------------------------------------------------------


def list_rows(language: str | None) -> list[tuple[str, ...]]:
    from roleplay.core.library import summaries

    rows: list[tuple[str, ...]] = []
    for row in summaries():
        if not row["ok"]:
            rows.append((row["id"], _("INVALID: {problem}").format(problem=row["problem"]) if row["problem"] else _("INVALID"), "", "", "", row["source"]))
            continue
        titles = row["titles"]
        title = titles.get(language or "", titles.get(row["fallback"], next(iter(titles.values()))))
        size = f"{row['group_min']}-{row['group_max']}" if row["group_max"] else f"{row['group_min']}+"
        rows.append((row["id"], title, _("{minutes} min").format(minutes=row["duration"] // 60), size, ",".join(row["languages"]), row["source"]))
    return rows


def cmd_list(args: argparse.Namespace) -> int:
    from roleplay.core.printable import printable

    rows = list_rows(args.language)
    if args.format == "json":
        keys = ("id", "title", "duration", "group_size", "languages", "source")
        out_json([dict(zip(keys, row)) for row in rows], indent=2)
        return EXIT_OK
    if not rows:
        out(_("no scenarios found"))
        return EXIT_OK
    header = (_("ID"), _("TITLE"), _("DURATION"), _("GROUP"), _("LANGUAGES"), _("SOURCE"))
    shown = [header] + [tuple(printable(cell) for cell in row) for row in rows]  # widths as printed
    widths = [max(len(r[i]) for r in shown) for i in range(len(header))]
    for row in shown:
        out("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    return EXIT_OK


# ----- validate -----------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from roleplay.core.library import scenario_files
    from roleplay.core.problems import Problem
    from roleplay.core.validate_cache import KnownProblems

    problems: list[Problem] = []
    checked = 0
    known = KnownProblems()  # files checked before, unchanged, are not loaded again
    for ref in args.paths:
        path = Path(ref)
        try:
            if path.is_dir():
                files = scenario_files(path)
                if not files:
                    problems.append(Problem(ref, 1, 1, "warning", _("no .yaml or .yml files in this folder")))
                for file in files:
                    problems += known.of(file)
                    checked += 1
            elif path.exists():
                problems += known.of(path)
                checked += 1
            else:
                problems.append(Problem(ref, 1, 1, "error", _("no such file or folder")))
        except OSError as exc:
            problems.append(Problem(ref, 1, 1, "error", _("cannot read: {strerror}").format(strerror=exc.strerror or exc)))
    known.save()
    errors = sum(p.severity == "error" for p in problems)
    if args.format == "json":
        out_json([p.as_dict() for p in problems], indent=2)
    else:
        for problem in problems:
            out(problem)
        warnings = len(problems) - errors
        note(_("{checked} file(s) checked: {errors} error(s), {warnings} warning(s)").format(checked=checked, errors=errors, warnings=warnings))
    return EXIT_FAIL if errors else EXIT_OK


# ----- graph --------------------------------------------------------------------------


def cmd_graph(args: argparse.Namespace) -> int:
    from roleplay.core import graph

    scenario, _path = load(args.scenario)
    render = graph.dot if args.format == "dot" else graph.mermaid
    out_lines(render(scenario, args.language))
    return EXIT_OK


# ----- script ---------------------------------------------------------------------------


def cmd_script(args: argparse.Namespace) -> int:
    """The printable trainer's script (HTML): for a trainer who runs the session on one shared screen."""
    from roleplay.pages.trainer_script import trainer_script_html

    scenario, _path = load(args.scenario)
    if args.language and args.language not in scenario.languages:
        raise CliError(_("{id} is not offered in '{language}' (languages: {languages})").format(id=scenario.id, language=args.language, languages=', '.join(scenario.languages)))
    text = trainer_script_html(scenario, args.language)
    if not args.output or args.output == "-":
        out_lines(text)
        return EXIT_OK
    from roleplay.core.safe_write import WriteError, write_new_file

    try:  # 0600 (it holds private briefs), atomically, never through a link
        write_new_file(Path(args.output), text.encode("utf-8"), force=args.force)
    except WriteError as exc:
        raise CliError(str(exc)) from None
    note(_("wrote {output}: print it for your eyes only (it holds the private briefs and cards)").format(output=args.output))
    return EXIT_OK


# ----- new ----------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from roleplay.core.template import SCHEMA_NAME, render_template, write_schema

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", args.id) or len(args.id) > 64:
        raise CliError(_("'{id}' is not a valid id: use lower-case letters, digits and hyphens").format(id=args.id))
    folder = Path(args.dir)
    target = folder / f"{args.id}.yaml"
    if target.exists():
        raise CliError(_("{target} exists already; pick another id or delete it first").format(target=target))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(render_template(args.id))
        schema = write_schema(folder)  # editors' completion: the template's first line names it
    except OSError as exc:
        raise CliError(_("cannot write {target}: {strerror}").format(target=target, strerror=exc.strerror or exc)) from None
    out(_("wrote {target}: edit it, then run: roleplay validate {target}").format(target=target))
    if schema:
        note(_("wrote {schema}: editors read it for completion and help (keep it beside your scenarios)").format(
            schema=folder / SCHEMA_NAME))
    return EXIT_OK


def register(sub: Any) -> None:
    p = add_command(sub, "list", cmd_list, help=_("list built-in and local scenarios"),
                    description=_("List built-in scenarios and those under ./scenarios."))
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--language", help=_("language for titles (default: each scenario's first)"))

    p = add_command(
        sub, "validate", cmd_validate, help=_("check scenario files"),
        description=_("Check scenario files or folders. Exit 0 when valid (warnings allowed), 1 on any error, 2 on a usage error."),
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help=_("scenario files or folders"))
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = add_command(sub, "graph", cmd_graph, help=_("print a scenario's state diagram"),
                    description=_("Print the state diagram of a scenario."))
    p.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    p.add_argument("--format", choices=["mermaid", "dot"], default="mermaid")
    p.add_argument("--language")

    p = add_command(
        sub, "script", cmd_script, help=_("print a scenario's trainer's script (HTML)"),
        description=_("Write the trainer's script of a scenario as a printable HTML page: every phase with its script, "
        "events, roles, briefs and cards. For running a session on one shared screen; it is private to the trainer."),
    )
    p.add_argument("scenario", metavar="SCENARIO", help=SCENARIO_HELP)
    p.add_argument("-o", "--output", metavar="FILE", help=_("file to write (default: standard output)"))
    p.add_argument("--language", help=_("language of the script (default: the scenario's first)"))
    p.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))

    p = add_command(sub, "new", cmd_new, help=_("write a new scenario from a template"),
                    description=_("Write scenarios/ID.yaml from a commented template that validates."))
    p.add_argument("id", metavar="ID")
    p.add_argument("--dir", default="scenarios", help=_("folder to write into (default: scenarios)"))
