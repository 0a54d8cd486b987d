"""`course`: a course's trainees, its sessions, and each trainee's growth (core/course.py, core/growth.py)."""

from __future__ import annotations

import argparse
from typing import Any

from roleplay.cli.errors import EXIT_OK, CliError
from roleplay.cli.output import note, out, warn
from roleplay.cli.parser import add_command
from roleplay.cli.secrets import add_passphrase_file
from roleplay.core.i18n import _, ngettext
from roleplay.core.printable import printable


def _root(args: argparse.Namespace) -> Any:
    from roleplay.cli.sessions import root_of

    return root_of(args)


def _names(text: str) -> list[str]:
    return [name for name in (part.strip() for part in text.split(",")) if name] if text else []


def _course_call(call: Any, *args: Any) -> Any:
    from roleplay.core.course import CourseError

    try:
        return call(*args)
    except CourseError as exc:
        raise CliError(str(exc)) from None


def cmd_new(args: argparse.Namespace) -> int:
    from roleplay.core import course

    made = _course_call(course.create, _root(args), args.name, _names(args.trainees), args.id)
    note(_("course '{id}' made: {name}, {count}").format(
        id=made.id, name=printable(made.name),
        count=ngettext("{count} trainee", "{count} trainees", len(made.trainees)).format(count=len(made.trainees))))
    note(_("sessions join it with: roleplay play SCENARIO --course {id} (or choose it in the app's set-up)").format(id=made.id))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from roleplay.core.course import list_courses

    courses = list_courses(_root(args))
    if not courses:
        out(_("no courses yet (roleplay course new NAME --trainees \"Ana,Ben\")"))
    for c in courses:
        out(f"{c.id}  {printable(c.name)}  " + ngettext("{count} trainee", "{count} trainees", len(c.trainees)).format(count=len(c.trainees)))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from datetime import datetime

    from roleplay.core import course
    from roleplay.core.growth import course_growth
    from roleplay.cli.secrets import given_passphrase

    root = _root(args)
    c = _course_call(course.load, root, args.course)
    growth = course_growth(root, c, given_passphrase(args))
    out(f"{printable(c.name)} ({c.id})")
    out(_("Trainees: {names}").format(names=", ".join(printable(t) for t in c.trainees) or _("none")))
    out(_("Sessions:") if growth.sessions else _("Sessions: none yet"))
    for s in growth.sessions:
        when = datetime.fromtimestamp(s.started).strftime("%Y-%m-%d %H:%M")
        out(f"  {s.folder.name}  {when}  {printable(s.title or s.scenario)}")
    _left_out(growth)
    return EXIT_OK


def _left_out(growth: Any) -> None:
    if growth.locked:
        warn(ngettext("{count} encrypted session was not read: give its passphrase with --passphrase-file",
                      "{count} encrypted sessions were not read: give their passphrase with --passphrase-file",
                      len(growth.locked)).format(count=len(growth.locked)))
    if growth.unreadable:
        warn(ngettext("{count} damaged session was not read (roleplay sessions says why)",
                      "{count} damaged sessions were not read (roleplay sessions says why)",
                      len(growth.unreadable)).format(count=len(growth.unreadable)))


def growth_lines(growth: Any, only: str | None = None) -> list[str]:
    """A table per trainee: one row per question, one column per course session that holds answers."""
    from datetime import datetime

    lines: list[str] = []
    for name, rows in growth.trainees.items():
        if only is not None and name.casefold() != only.casefold():
            continue
        lines.append(printable(name))
        if not rows:
            lines.append("  " + _("no answers yet"))
            lines.append("")
            continue
        used = sorted({a.session for row in rows for a in row.answers})
        dates = [datetime.fromtimestamp(growth.sessions[i].started).strftime("%Y-%m-%d") for i in used]
        width = max(len(printable(row.text)) for row in rows)
        width = min(width, 48)
        def cell(row: Any, i: int) -> str:
            a = next((a for a in row.answers if a.session == i), None)
            return "-" if a is None else (f"{a.value} {printable(a.level)}" if a.level else str(a.value))

        cells = {i: max([len(d)] + [len(cell(row, i)) for row in rows]) for i, d in zip(used, dates)}
        lines.append("  " + " " * width + "  " + "  ".join(d.ljust(cells[i]) for i, d in zip(used, dates)) + "  " + _("change"))
        for row in rows:
            text = printable(row.text)
            text = text if len(text) <= width else text[: width - 1] + "…"
            shown = [cell(row, i).ljust(cells[i]) for i in used]
            change = row.change
            lines.append("  " + text.ljust(width) + "  " + "  ".join(shown) + "  " + ("" if change is None else f"{change:+d}"))
        lines.append("")
    return lines


def cmd_growth(args: argparse.Namespace) -> int:
    from roleplay.core import course
    from roleplay.core.growth import course_growth
    from roleplay.cli.secrets import given_passphrase

    root = _root(args)
    c = _course_call(course.load, root, args.course)
    if args.trainee and not any(t.casefold() == args.trainee.casefold() for t in c.trainees):
        raise CliError(_("'{name}' is not a trainee of {course} (trainees: {trainees})").format(
            name=args.trainee, course=c.name, trainees=", ".join(c.trainees) or _("none")))
    growth = course_growth(root, c, given_passphrase(args))
    out(_("Growth in {course}: {count}").format(course=printable(c.name), count=ngettext(
        "{count} session", "{count} sessions", len(growth.sessions)).format(count=len(growth.sessions))))
    out("")
    for line in growth_lines(growth, args.trainee):
        out(line)
    _left_out(growth)
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    from roleplay.core import course

    c = _course_call(course.add_trainees, _root(args), args.course, _names(args.trainees))
    note(_("trainees of {course}: {names}").format(course=printable(c.name), names=", ".join(printable(t) for t in c.trainees)))
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    from roleplay.core import course

    c = _course_call(course.remove_trainee, _root(args), args.course, args.trainee)
    note(_("trainees of {course}: {names}").format(course=printable(c.name), names=", ".join(printable(t) for t in c.trainees) or _("none")))
    note(_("their answers stay in the course's session logs until those sessions are deleted (roleplay delete, roleplay prune)"))
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    from roleplay.core import course

    c = _course_call(course.delete, _root(args), args.course)
    note(_("course '{id}' deleted; its sessions are kept (roleplay delete, roleplay prune)").format(id=c.id))
    return EXIT_OK


def register(sub: Any) -> None:
    from roleplay.cli.parser import ROOT_HELP, Parser

    top = add_command(sub, "course", lambda args: (args.command_parser.print_help(), EXIT_OK)[1],
                      help=_("a course: its trainees, its sessions and each trainee's growth"),
                      description=_("A course holds its trainees' names; sessions played with --course belong to it, "
                                    "and a named form's answers (the competency self-assessment) show each trainee's growth."))
    inner = top.add_subparsers(dest="course_command", metavar="ACTION", parser_class=Parser)

    def action(name: str, handler: Any, help_text: str) -> Any:
        p = add_command(inner, name, handler, help=help_text, description=help_text)
        p.add_argument("--root", help=ROOT_HELP)
        return p

    p = action("new", cmd_new, _("make a course"))
    p.add_argument("name", metavar="NAME", help=_("the course's name, e.g. \"Spring 2027, Cluj\""))
    p.add_argument("--trainees", default="", metavar="NAMES", help=_('names separated by commas ("Ana,Ben,Cleo")'))
    p.add_argument("--id", help=_("the course's id (default: made from its name)"))
    action("list", cmd_list, _("list the courses"))
    p = action("show", cmd_show, _("a course's trainees and sessions"))
    p.add_argument("course", metavar="COURSE", help=_("the course's id"))
    add_passphrase_file(p)
    p = action("growth", cmd_growth, _("each trainee's self-assessed growth over the course's sessions"))
    p.add_argument("course", metavar="COURSE", help=_("the course's id"))
    p.add_argument("--trainee", metavar="NAME", help=_("only this trainee"))
    add_passphrase_file(p)
    p = action("add", cmd_add, _("add trainees to a course"))
    p.add_argument("course", metavar="COURSE", help=_("the course's id"))
    p.add_argument("trainees", metavar="NAMES", help=_('names separated by commas ("Ana,Ben,Cleo")'))
    p = action("remove", cmd_remove, _("take a trainee off a course"))
    p.add_argument("course", metavar="COURSE", help=_("the course's id"))
    p.add_argument("trainee", metavar="NAME")
    p = action("delete", cmd_delete, _("delete a course (its sessions are kept)"))
    p.add_argument("course", metavar="COURSE", help=_("the course's id"))
