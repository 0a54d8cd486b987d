"""The shape of every figure in `bench/run.py --json`: {"value", "unit", "baseline", "ratio", "goal", "ok"}."""

from __future__ import annotations


def ratio_figure(value: float, baseline: float, unit: str, goal: float | None, digits: int = 4) -> dict:
    """A figure measured against a baseline run in the same script; the goal is a ceiling on the ratio."""
    value, baseline = float(value), float(baseline)  # numpy's numbers are not JSON
    ratio = value / baseline
    return {"value": round(value, digits), "unit": unit, "baseline": round(baseline, digits), "ratio": round(ratio, 3),
            "goal": f"<= {goal}x" if goal is not None else None, "ok": bool(ratio <= goal) if goal is not None else None}


def floor_figure(value: float, needed: float, unit: str) -> dict:
    """A rate that must reach what is needed (the baseline): ratio = value / needed, goal >= 1x."""
    value = float(value)
    ratio = value / needed
    return {"value": round(value, 1), "unit": unit, "baseline": needed, "ratio": round(ratio, 3),
            "goal": f">= {needed:g} {unit}", "ok": bool(ratio >= 1)}


def limit_figure(value: float | None, unit: str, limit: float, baseline: float | None = None) -> dict:
    """A quantity with a fixed ceiling (frames dropped, an offset, a seek time); None: not measured."""
    value = None if value is None else float(value)
    ratio = None if value is None or not baseline else round(value / baseline, 3)
    return {"value": None if value is None else round(value, 3), "unit": unit,
            "baseline": None if baseline is None else round(baseline, 3), "ratio": ratio,
            "goal": f"<= {limit:g} {unit}" if unit else f"<= {limit:g}", "ok": None if value is None else bool(value <= limit)}
