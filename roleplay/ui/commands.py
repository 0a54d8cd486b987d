"""`roleplay run` and plain `roleplay`: open the trainer's app.

Textual is imported only inside the functions, so `roleplay --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "run",
        help="open the trainer's app (optionally on one scenario, or to rehearse one)",
        description=(
            "Open the trainer's terminal app. With SCENARIO it opens that scenario's set-up; "
            "with --rehearse it walks an author through their own file and reloads it when saved."
        ),
    )
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help="an id (built-in or under ./scenarios) or a path")
    p.add_argument("--rehearse", action="store_true", help="walk through the scenario; reload and show errors when the file is saved")
    p.add_argument("--participants", help='names separated by commas ("Ana,Ben,Cleo") or a number')
    p.add_argument("--seed", type=int, default=None, help="seed for dealing roles and cards")
    p.add_argument("--language", help="one of the scenario's languages")
    p.add_argument("--theme", help="roleplay-calm (default), high-contrast, or any Textual theme; F2 switches")
    p.add_argument("--out", metavar="DIR", help="folder for session folders (default: ./recordings in a checkout)")
    p.add_argument("--camera", default="0", metavar="SOURCE",
                   help="what to film when recording is switched on in the set-up: a camera number (default 0), a video file, or synthetic")
    p.add_argument("--audio", default="default", choices=["default", "none", "synthetic"],
                   help="room sound for recordings: the default microphone, none, or a synthetic tone (for trying things out)")
    p.add_argument("--country", metavar="CC",
                   help="support lines shown at the end of hard exercises (default: the last choice, else $ROLEPLAY_COUNTRY, else GB)")
    p.set_defaults(handler=open_app)


def open_app(args: argparse.Namespace) -> int:
    """Run the app; on a crash say where the session log is (it is saved event by event)."""
    scenario = getattr(args, "scenario", None)
    rehearse = bool(getattr(args, "rehearse", False))
    path = None
    if scenario:
        from roleplay.core.library import NotFound, resolve

        try:
            path = resolve(scenario)
        except NotFound as exc:
            if rehearse and Path(scenario).suffix in (".yaml", ".yml"):
                path = Path(scenario)  # rehearse waits for the file to appear
            else:
                print(f"roleplay: error: {exc}", file=sys.stderr)
                return 1
    elif rehearse:
        print("roleplay: error: --rehearse needs the scenario file to rehearse", file=sys.stderr)
        return 2
    theme = getattr(args, "theme", None)
    from roleplay.ui.app import make_app

    app = make_app(
        path,
        rehearse=rehearse,
        participants=getattr(args, "participants", None) or "",
        seed=getattr(args, "seed", None),
        language=getattr(args, "language", None),
        theme=None,
        out=getattr(args, "out", None),
        camera=getattr(args, "camera", None) or "0",
        audio=getattr(args, "audio", None) or "default",
        country=(getattr(args, "country", None) or "").upper() or None,
    )
    if theme:
        if theme not in app.available_themes:
            print(f"roleplay: error: unknown theme '{theme}' (themes: {', '.join(sorted(app.available_themes))})", file=sys.stderr)
            return 2
        app.theme = theme
    try:
        app.run()
    finally:
        folder = app.session_folder
        if folder is not None and (app.crashed or (app.session is not None and not app.session.ended)):
            if app.crashed:
                print(f"roleplay: the app stopped on an error. Nothing is lost: the session log is saved in {folder}", file=sys.stderr)
            else:
                print(f"The session is saved in {folder}", file=sys.stderr)
            print("Resume it from Past sessions (ctrl+o in the library, then u).", file=sys.stderr)
    return app.return_code or (1 if app.crashed else 0)
