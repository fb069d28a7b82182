"""Victims' names kept out of text that leaves crimewire (exports, printed evidence)."""

from __future__ import annotations

import re
from collections.abc import Iterable


def replace_names(text: str, names: Iterable[str], placeholder: str = "[victim]") -> str:
    """``text`` with every whole-word occurrence of ``names`` replaced by ``placeholder``.

    Longest names first, so "Carlos Mendoza Ruiz" goes whole before "Mendoza" is looked for;
    whole words only, so a victim's short surname ("Cruz") leaves "Veracruz" alone.
    """
    alternatives = sorted({n for n in names if n}, key=len, reverse=True)
    if not alternatives:
        return text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in alternatives) + r")(?!\w)")
    return pattern.sub(placeholder, text)
