"""Textual set up for tests: the same screens and keys, less waiting and less repeated work.

Imported by tests/ui/conftest.py (every UI test) and by crash_child.py (an app in a subprocess).
None of it changes what a screen shows once it is settled; each line says what it saves.
"""

from __future__ import annotations

import textual._wait
import textual.constants
from textual._compositor import Compositor
from textual._context import active_app
from textual.css.stylesheet import Stylesheet

# Pilot waits for the app to be idle after every key press and pause: Textual sleeps in steps of
# SLEEP_GRANULARITY (20 ms) until a step passes with under SLEEP_IDLE (1 ms) of CPU. These tests never
# rely on that guess to know something happened: they wait for workers and queued messages
# (driver.settle, Pilot's own wait for the screen) or poll with a deadline (driver.wait_until).
# 2 ms steps (idle: under a fifth of a step) halve the time a UI test spends waiting.
assert hasattr(textual._wait, "SLEEP_GRANULARITY"), "Textual changed: see tests/ui/fast_textual.py"
assert hasattr(textual._wait, "SLEEP_IDLE"), "Textual changed: see tests/ui/fast_textual.py"
textual._wait.SLEEP_GRANULARITY = 0.002
textual._wait.SLEEP_IDLE = 0.0004

# Animations (smooth scrolling on End or PgDn, mostly) jump to where they end: the tests check where a
# scroll ends, never its frames, and each animation cost up to half a second of waiting and a redraw a
# frame. The same as a user's TEXTUAL_ANIMATIONS=none; App reads it when an app is made.
assert hasattr(textual.constants, "TEXTUAL_ANIMATIONS"), "Textual changed: see tests/ui/fast_textual.py"
textual.constants.TEXTUAL_ANIMATIONS = "none"  # type: ignore[misc]

# Every app a test starts parses the same CSS again (its own and each widget's DEFAULT_CSS, twice at
# start-up): an eighth of starting an app. One process shares the parsed rules between its apps, keyed
# by what Textual's own per-stylesheet cache uses plus the theme's variables, which the parse reads.
# The rules are only read once parsed (Stylesheet.apply copies styles out of them).
assert hasattr(Stylesheet, "_parse_rules"), "Textual changed: see tests/ui/fast_textual.py"
_parsed_css: dict[tuple, list] = {}
_parse_rules = Stylesheet._parse_rules


def _variables_key(stylesheet) -> tuple:
    """The stylesheet's variables as a key, worked out once per variables dict (set_variables replaces
    it, Textual never changes one in place); the dict is held, so its identity cannot be reused."""
    held = stylesheet.__dict__.get("_held_variables_key")
    if held is None or held[0] is not stylesheet._variables:
        held = stylesheet._held_variables_key = (stylesheet._variables, tuple(sorted(stylesheet._variables.items())))
    return held[1]


def _shared_parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
    key = (css, read_from, is_default_rules, tie_breaker, scope, _variables_key(self))
    rules = _parsed_css.get(key)
    if rules is None:
        rules = _parsed_css[key] = _parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
    return rules


Stylesheet._parse_rules = _shared_parse_rules  # type: ignore[method-assign]

# A headless app renders every changed region of the screen into an update for the terminal and then
# drops it (App._display sends nothing when headless): a quarter of a UI test's time went on frames
# nobody reads. Here a headless app only forgets the changed regions. What a test reads is still drawn
# from the widgets: driver.screen_text and snapshots render the whole screen (render_strips, and
# render_update with full=True), and tests/ui/frames.py draws and watches the real frames.
assert hasattr(Compositor, "render_update"), "Textual changed: see tests/ui/fast_textual.py"
RENDER_UPDATE = Compositor.render_update  # Textual's own: frames.FrameWatch draws with it


def _render_update_if_shown(self, full=False, screen_stack=None, simplify=False):
    app = active_app.get(None)
    if full or simplify or app is None or not app.is_headless:
        return RENDER_UPDATE(self, full, screen_stack, simplify)
    self._dirty_regions.clear()
    return None


Compositor.render_update = _render_update_if_shown  # type: ignore[method-assign]

# Styling a widget (Stylesheet.apply) first keeps, out of every rule of the app (about 300), those that
# may match it, testing each for membership in a set by its hash: RuleSet.__hash__ is `id(self)`
# written in Python, called about 300 times per widget styled. object.__hash__ is the same identity
# hash in C (equal rules are only ever the same object): a twentieth of a screen change.
from textual.css.model import RuleSet  # noqa: E402

assert RuleSet.__hash__.__code__.co_names == ("id",), "Textual changed: see tests/ui/fast_textual.py"
RuleSet.__hash__ = object.__hash__  # type: ignore[assignment,method-assign]

# Textual calls every callback with as many arguments as it takes, counted once with inspect.signature
# and remembered on the function. Closures made anew for each call (Pilot makes one per widget each
# time it waits for the screen, Widget.mount one per mount) are counted again every time: a fortieth of
# a UI test. For a plain function the count is in its code object, which is what signature() reads
# (positional, keyword-only, *args, **kwargs); anything else (wrapped, with a __signature__, builtin)
# still goes through signature().
import inspect  # noqa: E402

import textual._callback  # noqa: E402

assert textual._callback._count_parameters.__code__.co_names[-2:] == ("signature", "parameters"), \
    "Textual changed: see tests/ui/fast_textual.py"
_count_by_signature = textual._callback._count_parameters
_ARGUMENT_FLAGS = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS


def _count_parameters(func) -> int:
    code = getattr(func, "__code__", None)
    if type(func) is not type(_count_parameters) or code is None or hasattr(func, "__wrapped__") \
            or hasattr(func, "__signature__"):
        return _count_by_signature(func)
    return code.co_argcount + code.co_kwonlyargcount + bin(code.co_flags & _ARGUMENT_FLAGS).count("1")


textual._callback._count_parameters = _count_parameters

# A screen that is pushed or switched to gets a ScreenResume that restyles the whole screen (every widget
# and its component classes), yet a new screen has just been styled as it mounted: a tenth of a phase
# change, and of each dialog opened. Only its first resume is spared; a screen coming back later (a pop,
# a switch back) is restyled as before, for whatever changed while it was away.
from textual.screen import Screen  # noqa: E402

assert "refresh_styles" in Screen._on_screen_resume.__code__.co_names, "Textual changed: see tests/ui/fast_textual.py"
_on_screen_resume = Screen._on_screen_resume


def _on_first_screen_resume(self, event):
    if not self.__dict__.get("_resumed_once"):
        self._resumed_once = True
        event.refresh_styles = False
    return _on_screen_resume(self, event)


Screen._on_screen_resume = _on_first_screen_resume  # type: ignore[method-assign]

# Each message a widget handles looks for its handlers along the widget's whole class hierarchy (a
# dozen classes, two dictionary lookups and a formatted name each), for every message: a twentieth of
# a UI test. Which methods a class and its bases define for a message class never changes while the
# tests run, so the walk is done once per (widget class, message class) and remembered; what depends
# on the message itself (prevent_default stopping the walk, @on selectors matching its sender) is
# still decided for each message, in Textual's order. A test that replaces a handler on a class starts
# with no plans remembered (tests/ui/conftest.py clears them before each test).
from textual._on import OnNoWidget  # noqa: E402
from textual.css.match import match  # noqa: E402
from textual.message import Message  # noqa: E402
from textual.message_pump import MessagePump  # noqa: E402
from textual.widget import Widget  # noqa: E402

assert "_decorated_handlers" in MessagePump._get_dispatch_methods.__code__.co_consts, "Textual changed: see tests/ui/fast_textual.py"
_get_dispatch_methods = MessagePump._get_dispatch_methods
_dispatch_plans: dict[tuple[type, type, str], tuple] = {}


def _dispatch_plan(pump_class: type, message_class: type, method_name: str) -> tuple:
    """For each class of pump_class's MRO that has something for the message: (class, decorated handlers
    as (method, selectors) in Textual's order, the handler named by convention or None)."""
    message_mro = [kind for kind in message_class.__mro__ if issubclass(kind, Message)]
    plan = []
    for cls in pump_class.__mro__:
        decorated_handlers = cls.__dict__.get("_decorated_handlers")
        decorated = []
        if decorated_handlers:
            for kind in message_mro:
                decorated.extend(decorated_handlers.get(kind, []))
        method = cls.__dict__.get(f"_{method_name}") or cls.__dict__.get(method_name)
        if method is not None and getattr(method, "_textual_on", None):
            method = None
        if decorated or method is not None:
            plan.append((cls, tuple(decorated), method))
    return tuple(plan)


def _planned_dispatch_methods(self, method_name, message):
    key = (self.__class__, message.__class__, method_name)
    plan = _dispatch_plans.get(key)
    if plan is None:
        plan = _dispatch_plans[key] = _dispatch_plan(*key)
    methods_dispatched: set = set()
    for cls, decorated, method in plan:
        if message._no_default_action:
            break
        for handler, selectors in decorated:
            if handler in methods_dispatched:
                continue
            if not selectors:
                yield cls, handler.__get__(self, cls)
                methods_dispatched.add(handler)
            elif message._sender:
                for attribute, selector in selectors.items():
                    node = getattr(message, attribute)
                    if node is None:
                        break
                    if not isinstance(node, Widget):
                        raise OnNoWidget(f"on decorator can't match against {attribute!r} as it is not a widget.")
                    if not match(selector, node):
                        break
                else:
                    yield cls, handler.__get__(self, cls)
                    methods_dispatched.add(handler)
        if method is not None:
            yield cls, method.__get__(self, cls)


MessagePump._get_dispatch_methods = _planned_dispatch_methods  # type: ignore[method-assign]


def forget_dispatch_plans() -> None:
    _dispatch_plans.clear()
