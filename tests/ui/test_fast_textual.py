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
