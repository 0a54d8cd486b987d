"""A scrolling column's focus restyles only the column (roleplay/ui/widgets/scroll.py).

That is right only while no rule styles a widget by the focus of a column around it. The first test
reads every rule the app can load (its own CSS and the DEFAULT_CSS of every widget class it imports,
Textual's included); the second checks on a real screen that nothing inside a focused column looks any
different from what Textual's full restyle gives.
"""

from __future__ import annotations

import importlib
import pkgutil

from textual.css.model import CombinatorType, Selector, SelectorType
from textual.css.stylesheet import Stylesheet
from textual.widget import Widget
from textual.widgets import OptionList

import roleplay.ui
from roleplay.core.clock import FakeClock
from roleplay.ui.app import RoleplayApp, make_app
from roleplay.ui.widgets.preview import ScenarioPreview
from roleplay.ui.widgets.scroll import TextScroll

from .driver import settle

FOCUS_STATES = {"focus", "blur", "focus-within"}


def _widget_classes() -> set[type[Widget]]:
    for module in pkgutil.walk_packages(roleplay.ui.__path__, "roleplay.ui."):
        importlib.import_module(module.name)
    found: set[type[Widget]] = set()
    stack: list[type[Widget]] = [Widget]
    while stack:
        cls = stack.pop()
        if cls not in found:
            found.add(cls)
            stack.extend(cls.__subclasses__())
    return found


def _every_rule(variables: dict[str, str]) -> Stylesheet:
    sheet = Stylesheet(variables=variables)
    sheet.read(RoleplayApp.CSS_PATH)
    for cls in _widget_classes():
        css = cls.__dict__.get("DEFAULT_CSS")
        if css:
            sheet.add_source(css, read_from=(cls.__module__, f"{cls.__qualname__}.DEFAULT_CSS"), is_default_css=True)
    sheet.parse()
    return sheet


def _compounds(selectors: list[Selector]) -> list[list[Selector]]:
    """`A.b:focus > C` is [[A, .b:focus], [C]]: a new compound begins at every combinator but SAME."""
    compounds: list[list[Selector]] = []
    for selector in selectors:
        if compounds and selector.combinator == CombinatorType.SAME:
            compounds[-1].append(selector)
        else:
            compounds.append([selector])
    return compounds


def _may_match(compound: list[Selector], cls: type[Widget]) -> bool:
    """Could a widget of `cls` be the one this compound picks? Classes and ids could be on anything."""
    return all(s.type != SelectorType.TYPE or s.name in cls._css_type_names for s in compound)


def _styled_by_focus_of(cls: type[Widget], sheet: Stylesheet) -> list[str]:
    """Rules that style something inside a focused (or blurred) widget of `cls`."""
    found = []
    for rule in sheet.rules:
        for selector_set in rule.selector_set:
            for compound in _compounds(selector_set.selectors)[:-1]:
                if any(s.pseudo_classes & FOCUS_STATES for s in compound) and _may_match(compound, cls):
                    found.append(selector_set.css)
    return found


def test_no_rule_styles_anything_by_the_focus_of_a_scrolling_column(tmp_path):
    sheet = _every_rule(make_app(out=tmp_path).get_css_variables())
    assert len(sheet.rules) > 300  # the app's rules and every widget's, not an empty sheet
    scrolls = [cls for cls in _widget_classes() if issubclass(cls, TextScroll)]
    assert ScenarioPreview in scrolls
    for cls in scrolls:
        assert _styled_by_focus_of(cls, sheet) == [], cls.__name__
    # The reading finds such rules where they are: an option list styles its highlight by its focus.
    assert any("OptionList:focus" in css for css in _styled_by_focus_of(OptionList, sheet))


async def test_a_focused_column_looks_as_a_full_restyle_makes_it(tmp_path):
    app = make_app(out=tmp_path, seed=1, clock=FakeClock(), look_seconds=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        preview = app.screen.query_one(ScenarioPreview)
        inside = list(preview.walk_children())
        assert len(inside) > 5
        for focused in (True, False):
            if focused:
                preview.focus()
            else:
                app.screen.set_focus(None)
            await settle(pilot)
            assert preview.has_focus is focused
            ours = [(w, w.styles.css) for w in inside]
            app.update_styles(preview)  # Textual's own: the column and everything in it
            await settle(pilot)
            assert [(w, w.styles.css) for w in inside] == ours
