"""Date expressions in English and Spanish news, resolved against the publication date.

``find_date_expressions`` finds weekday, relative, absolute, month and year
expressions ("this Thursday", "el pasado domingo 1 de diciembre", "earlier this
month", "en enero de 2024") with their offsets; ``resolve_date`` turns one into a
``DateValue`` using the publication date. News reports the past, so a bare weekday
is the most recent such day on or before publication.

dateparser gets relative weekdays wrong (STACK.md), so every pattern here is resolved
by our own rules; dateparser is only a fallback for absolute strings our patterns do
not read (e.g. "2023/12/28"), and it is never on the ``find_date_expressions`` path.
Vocabulary lives in ``data/dates.toml``; patterns are compiled once per language.
"""

from crimewire.dates.finding import KINDS, DateMention, find_date_expressions
from crimewire.dates.resolving import days_before, resolve_date

__all__ = ["KINDS", "DateMention", "days_before", "find_date_expressions", "resolve_date"]
