"""``replace_names``: victims' names replaced as whole words, longest first."""

from __future__ import annotations

from crimewire.storage.victims import replace_names


def test_the_full_name_goes_whole_before_its_surname() -> None:
    text = "Gunmen killed Tomás Aguirre Vélez in Machala. Aguirre had refused to pay."
    names = {"Aguirre", "Tomás Aguirre Vélez"}
    assert replace_names(text, names) == "Gunmen killed [victim] in Machala. [victim] had refused to pay."


def test_a_name_inside_another_word_is_left_alone() -> None:
    text = "Luis Cruz was found dead in Veracruz; the Cruz family and the Cruzados club mourned him."
    assert replace_names(text, {"Cruz", "Luis Cruz"}) == (
        "[victim] was found dead in Veracruz; the [victim] family and the Cruzados club mourned him."
    )


def test_nothing_to_replace() -> None:
    assert replace_names("Police arrested 12 people.", set()) == "Police arrested 12 people."
    assert replace_names("Police arrested 12 people.", {""}) == "Police arrested 12 people."


def test_names_are_literal_text_and_the_placeholder_can_change() -> None:
    text = "The victim, J. (Juan) Pérez, was 40; J. Pérez Jr. was not hurt."
    assert replace_names(text, {"J. (Juan) Pérez"}, "[redacted]") == (
        "The victim, [redacted], was 40; J. Pérez Jr. was not hurt."
    )
