"""The support lines follow the session's language unless a country was chosen."""

from __future__ import annotations

import os

import pytest

from roleplay.core.resources import country_for_language, default_country, load_resources
from roleplay.ui.services import support_resources


@pytest.fixture(autouse=True)
def no_country_set(monkeypatch):
    monkeypatch.delenv("ROLEPLAY_COUNTRY", raising=False)


def test_the_language_picks_the_country_whose_lines_are_written_in_it():
    spanish = load_resources(None, "es")
    assert spanish.language == "es" and spanish.country == country_for_language("es")
    english = load_resources(None, "en")
    assert english.language == "en" and english.country == "GB"
    assert country_for_language("es-MX") == spanish.country  # the language is enough when no region fits
    assert default_country("tlh") == "GB"  # no lines in that language: the built-in default
    assert default_country() == "GB"


def test_a_chosen_country_wins_over_the_language(monkeypatch):
    assert load_resources("GB", "es").country == "GB"
    found, problem = support_resources("GB", "es")
    assert found is not None and found.country == "GB" and problem == ""
    monkeypatch.setenv("ROLEPLAY_COUNTRY", "GB")  # the trainer's setting is a choice too
    assert load_resources(None, "es").country == "GB"


def test_the_trainers_own_copy_of_a_country_is_read_for_its_language(tmp_path, monkeypatch):
    local = tmp_path / "resources"
    local.mkdir()
    (local / "ES.yaml").write_text(
        "country: ES\nname: España (copia)\nlanguage: ca\nresources:\n  - {name: Línea, phone: '024'}\n", encoding="utf-8"
    )
    monkeypatch.setattr("roleplay.core.resources.local_dir", lambda: tmp_path)
    assert country_for_language("ca") == "ES"  # the local copy hides the built-in one
    assert country_for_language("es") is None
    found, problem = support_resources(None, "ca")
    assert found is not None and found.name == "España (copia)"


def test_an_edited_copy_is_read_again_for_its_language(tmp_path, monkeypatch):
    local = tmp_path / "resources"
    local.mkdir()
    copy = local / "ES.yaml"
    copy.write_text("country: ES\nname: España\nlanguage: ca\nresources:\n  - {name: Línea, phone: '024'}\n", encoding="utf-8")
    monkeypatch.setattr("roleplay.core.resources.local_dir", lambda: tmp_path)
    assert country_for_language("ca") == "ES"
    copy.write_text("country: ES\nname: España\nlanguage: eu\nresources:\n  - {name: Línea, phone: '024'}\n", encoding="utf-8")
    os.utime(copy, ns=(1, 1))  # even a copy written within the same clock tick: its time differs now
    assert country_for_language("ca") is None and country_for_language("eu") == "ES"
