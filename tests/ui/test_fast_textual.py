"""What tests/ui/fast_textual.py changes in Textual for the tests gives the answers Textual's own code gives."""

from __future__ import annotations

import functools
import inspect

import textual._callback

from . import fast_textual


def _shapes():
    def none(): ...
    def one(a): ...
    def defaults(a, b=1, *, c=2): ...
    def positional_only(a, /, b): ...
    def star(*args): ...
    def everything(a, /, b, *args, c, d=1, **kwargs): ...

    @functools.wraps(one)
    def wrapped(*args, **kwargs): ...

    def signed(a, b): ...
    signed.__signature__ = inspect.Signature([inspect.Parameter("x", inspect.Parameter.POSITIONAL_OR_KEYWORD)])

    outer = 1

    def closure(message):
        return outer

    async def coroutine(a, b): ...

    return [none, one, defaults, positional_only, star, everything, wrapped, signed, closure, coroutine,
            lambda: None, lambda event, *rest: None, len, print]


def test_parameters_are_counted_as_signature_counts_them():
    assert textual._callback._count_parameters is fast_textual._count_parameters  # the tests run with it
    for func in _shapes():
        assert fast_textual._count_parameters(func) == fast_textual._count_by_signature(func), func


def test_bound_methods_and_partials_still_count_as_textual_counts_them():
    class Handler:
        def on_event(self, event, extra=None): ...

    bound = Handler().on_event
    assert textual._callback.count_parameters(bound) == len(inspect.signature(bound).parameters) == 2
    assert textual._callback.count_parameters(functools.partial(lambda a, b, c: None, 1)) == 2


async def test_a_screen_on_its_first_resume_looks_as_textuals_restyle_makes_it(tmp_path):
    """fast_textual spares a new screen the restyle of its first ScreenResume: it was styled as it mounted."""
    from roleplay.core.clock import FakeClock
    from roleplay.ui.app import make_app
    from roleplay.ui.screens.confirm import ConfirmScreen
    from roleplay.ui.screens.help import HelpScreen

    from .driver import live_session_in, settle

    def looks(screen) -> list:
        return [(node, node.styles.css) for node in screen.walk_children(with_self=True)]

    async def check(pilot) -> None:
        screen = pilot.app.screen
        assert screen.__dict__.get("_resumed_once"), screen  # the patch was in play
        ours = looks(screen)
        assert len(ours) > 3
        pilot.app.update_styles(screen)  # Textual's own: the screen and everything on it
        await settle(pilot)
        assert looks(screen) == ours, type(screen).__name__

    app = make_app(out=tmp_path, seed=1, clock=FakeClock(), projected=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await check(pilot)  # the library
        await live_session_in(pilot, "guess-who", "guessing")
        await check(pilot)  # a phase
        for screen in (HelpScreen(), ConfirmScreen("Really?")):
            app.push_screen(screen)
            await settle(pilot)
            await check(pilot)
