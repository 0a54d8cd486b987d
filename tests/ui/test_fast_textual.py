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



def _handlers(find, pump, message):
    return [(cls, method.__func__) for cls, method in find(pump, message.handler_name, message)]


def test_handlers_are_found_as_textual_finds_them_for_every_class_of_the_app():
    """The remembered dispatch plans (fast_textual) give the handlers Textual's walk of the class
    hierarchy gives, in its order, for every widget, screen and message class the app uses."""
    from textual.app import App
    from textual.message import Message
    from textual.message_pump import MessagePump
    from textual.widget import Widget

    import roleplay.ui.app  # noqa: F401  the app's classes, and the Textual widgets it uses
    from roleplay.ui.app import RoleplayApp

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    assert MessagePump._get_dispatch_methods is fast_textual._planned_dispatch_methods  # the tests run with it
    pumps = [*{*subclasses(Widget)}, App, RoleplayApp]
    kinds = [kind for kind in {*subclasses(Message)} if isinstance(getattr(kind, "handler_name", None), str)]
    assert len(pumps) > 80 and len(kinds) > 80
    found = 0
    for pump_class in pumps:
        pump = object.__new__(pump_class)  # only its class matters to the lookup
        for kind in kinds:
            message = object.__new__(kind)  # without a sender: @on handlers with selectors are left out, by both
            message._no_default_action, message._sender = False, None
            theirs = _handlers(fast_textual._get_dispatch_methods, pump, message)
            assert _handlers(MessagePump._get_dispatch_methods, pump, message) == theirs, (pump_class, kind)
            found += bool(theirs)
    assert found > 300  # pairs that have handlers, not only empty answers


def test_selectors_and_prevent_default_are_still_decided_for_each_message():
    from textual import on
    from textual.containers import Vertical
    from textual.message_pump import MessagePump
    from textual.widgets import Button

    class Base(Vertical):
        def on_button_pressed(self, message): ...

        @on(Button.Pressed)
        def any_button(self, message): ...

    class Panel(Base):
        @on(Button.Pressed, "#go")
        def go_button(self, message): ...

        def _on_button_pressed(self, message): ...

    panel = object.__new__(Panel)
    for button_id in ("go", "other"):
        message = Button.Pressed(Button(id=button_id))
        message._sender = message.button
        ours = _handlers(MessagePump._get_dispatch_methods, panel, message)
        assert ours == _handlers(fast_textual._get_dispatch_methods, panel, message)
        assert (Panel, Panel.go_button) in ours if button_id == "go" else (Panel, Panel.go_button) not in ours
        assert (Base, Base.any_button) in ours and (Base, Base.on_button_pressed) in ours
    # prevent_default after the first class's handlers: neither goes on to the base class
    for find in (MessagePump._get_dispatch_methods, fast_textual._get_dispatch_methods):
        message = Button.Pressed(Button(id="go"))
        message._sender = message.button
        handlers = find(panel, message.handler_name, message)
        first = [next(handlers), next(handlers)]
        message.prevent_default()
        assert {cls for cls, _ in first} == {Panel} and list(handlers) == []
