"""HTML pages built from Jinja2 templates with autoescape: every text from a scenario, a
participant or a note is escaped by the template engine, never by hand.

Today: the printable trainer's script. The room's pages and the HTML report are meant to
share these templates and this environment.
"""
