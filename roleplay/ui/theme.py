"""The app's themes: a calm default and a high-contrast one for bright rooms and low vision."""

from __future__ import annotations

from textual.theme import Theme

CALM = Theme(
    name="roleplay-calm",
    primary="#7FA7C9",
    secondary="#9DB89A",
    accent="#C9A7E0",
    warning="#E0B86B",
    error="#E08A7F",
    success="#8FC9A0",
    foreground="#E6E6E1",
    background="#1E2326",
    surface="#262C30",
    panel="#2F373C",
    dark=True,
)

HIGH_CONTRAST = Theme(
    name="high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFFFF",
    warning="#FFB000",
    error="#FF5555",
    success="#55FF55",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#FFFFFF",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "border": "#FFFFFF",
        "border-blurred": "#BBBBBB",
        "footer-key-foreground": "#FFFF00",
        "input-selection-background": "#FFFF00 60%",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "block-cursor-text-style": "bold",
    },
)

THEMES = (CALM, HIGH_CONTRAST)
DEFAULT_THEME = CALM.name
CONTRAST_CYCLE = (CALM.name, HIGH_CONTRAST.name)
