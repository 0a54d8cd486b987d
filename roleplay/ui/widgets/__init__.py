"""Widgets, one feature per module."""
