"""`roleplay replay --window`: the picture in an OpenCV window, for a projector or a second screen.

Same keys as in the terminal; the timeline is drawn as a strip under the
picture and reflections are typed in the terminal. Decoding runs on a worker
thread (`run_playback`); the window shows whichever frame is newest.
"""

from __future__ import annotations

import sys
import threading

from roleplay.core.i18n import _


class WindowUnavailable(Exception):
    """No display to open a window on; the message says what to do instead."""


def has_display() -> bool:
    from roleplay.core.settings import has_display as configured

    return configured()


def replay_in_window(player, *, sound: bool = True, name: str | None = None) -> int:
    if not has_display():
        raise WindowUnavailable(_("--window needs a display, and none was found ($DISPLAY and $WAYLAND_DISPLAY "
                                "are not set); replay in the terminal without --window"))
    if not player.timeline.has_video:
        raise WindowUnavailable(_("{name} has no video to show; --list-marks shows its timeline").format(name=player.folder.name))
    import cv2
    import numpy as np

    from roleplay.video.player import Playback, run_playback
    from roleplay.video.timeline import add_reflection, format_time

    playback = Playback(player.duration)
    newest: dict = {}
    stop = threading.Event()
    worker = threading.Thread(target=run_playback, args=(player, playback, lambda f: newest.update(frame=f), stop),
                              name="replay-decode", daemon=True)
    worker.start()
    output = None
    if sound:
        from roleplay.video.sound_out import SoundFeed, SoundOutput, SoundUnavailable

        output = SoundOutput(SoundFeed(player, playback))
        try:
            output.start()
        except SoundUnavailable as exc:
            print(_("notice: {exc}").format(exc=exc), file=sys.stderr)
            output = None
    title = f"roleplay replay - {player.folder.name}"
    try:
        cv2.namedWindow(title, cv2.WINDOW_NORMAL)
    except cv2.error as exc:
        stop.set()
        raise WindowUnavailable(_("cannot open a window: {exc}").format(exc=exc)) from None
    try:
        while True:
            frame = newest.get("frame")
            if frame is not None:
                image = frame.image.copy()
                strip = np.zeros((12, image.shape[1], 3), np.uint8)
                width, duration = image.shape[1], max(player.duration, 1e-6)
                for mark in player.timeline.marks:
                    strip[:, min(width - 1, int(mark.at / duration * width))] = (0, 200, 255)
                strip[:, : int(playback.position() / duration * width)] //= 2
                strip[4:8, : int(playback.position() / duration * width)] = (255, 255, 255)
                cv2.imshow(title, np.vstack([image, strip]))
                cv2.setWindowTitle(title, f"{title}  {format_time(playback.position())} {playback.speed:g}x")
            key = cv2.waitKey(15) & 0xFF
            if key in (ord("q"), 27) or cv2.getWindowProperty(title, cv2.WND_PROP_VISIBLE) < 1:
                break
            if key == ord(" "):
                playback.toggle()
            elif key in (81, 2, ord("h")):  # left arrow
                playback.step(-5)
            elif key in (83, 3, ord("l")):  # right arrow
                playback.step(5)
            elif key in (ord("["), ord("]")):
                at = playback.position()
                mark = player.timeline.next_mark(at) if key == ord("]") else player.timeline.previous_mark(at)
                if mark is not None:
                    playback.seek(mark.at)
            elif key in (ord("1"), ord("2"), ord("3")):
                playback.set_speed({ord("1"): 0.5, ord("2"): 1.0, ord("3"): 2.0}[key])
            elif key in (ord("-"), ord("+"), ord("=")):
                playback.faster(-1 if key == ord("-") else 1)
            elif key == ord("m"):
                playback.toggle_mute()
            elif key == ord("r"):
                at = playback.position()
                playback.pause()
                who = name or input(_("Your name: ")).strip()
                text = input(_("Reflection at {at}: ").format(at=format_time(at))).strip()
                if who and text:
                    add_reflection(player.folder, player.timeline, who, text, at)
                    name = who
    finally:
        stop.set()
        playback.wake()
        if output is not None:
            output.stop()
        cv2.destroyAllWindows()
        worker.join(2)
    return 0
