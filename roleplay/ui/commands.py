"""`roleplay run` and plain `roleplay`: open the trainer's app.

Textual is imported only inside the functions, so `roleplay --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


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
        projected=getattr(args, "projected", None),
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
