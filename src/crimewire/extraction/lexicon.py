"""The trigger lexicon: event trigger rules and context word lists, per language.

Loaded from ``data/triggers_<lang>.toml`` once per process and validated; the
extractor's code holds the mechanisms, these files hold the vocabulary.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from crimewire.errors import DataError
from crimewire.records import EVENT_TYPES

_RULE_KEYS = {
    "id", "type", "pos", "lemmas", "patient", "needs_child", "needs_context", "reject_child",
    "nominal", "needs_object", "reject_context", "no_relative", "reject_agent",
}
_CLASSES = {"person", "body", "goods", "group", "custody"}
# "unknown": a patient of no known class, or none at all; "object": a patient of no known
# class, but one must be there ("aseguraron 312 boletos" yes, "aseguró que ..." no).
_PATIENT_CLASSES = {"person", "body", "goods", "place", "unknown", "none", "object"}
_NOMINAL = {"", "arg", "raid", "charge"}


@dataclass(frozen=True, slots=True)
class TriggerRule:
    """One way a word can report an event of one type."""

    id: str
    type: str
    pos: frozenset[str]
    lemmas: frozenset[str]
    patient: frozenset[str]  # accepted patient classes
    needs_child: frozenset[str] = frozenset()
    needs_context: frozenset[str] = frozenset()
    reject_child: frozenset[str] = frozenset()
    needs_object: frozenset[str] = frozenset()
    reject_context: frozenset[str] = frozenset()  # sentence words that veto the rule
    reject_agent: frozenset[str] = frozenset()  # lemmas of an active subject that veto the rule
    no_relative: bool = False  # the rule does not fire inside a relative clause
    nominal: str = ""  # "" (verbs), "arg", "raid", "charge"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything language-specific the extractor needs for one language."""

    language: str
    rules: tuple[TriggerRule, ...]
    classes: dict[str, frozenset[str]]
    context: dict[str, frozenset[str]]
    by_lemma: dict[str, tuple[TriggerRule, ...]]
    rule_pos: frozenset[str] = frozenset()  # every part of speech some rule asks for

    def words(self, name: str) -> frozenset[str]:
        """A context word list by name (empty if the lexicon has none)."""
        return self.context.get(name, frozenset())

    def word_class(self, name: str) -> frozenset[str]:
        """A semantic class word list (person, body, goods, group, custody; demonym from demonyms.json)."""
        return self.classes.get(name, frozenset())


def _lower_set(values: object, where: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise DataError(f"{where}: expected a list of strings")
    return frozenset(v.lower() for v in values)


def parse_lexicon(data: dict[str, object], source: str) -> Lexicon:
    """Validate a parsed lexicon file and build its lookup tables."""
    language = data.get("language")
    if not isinstance(language, str):
        raise DataError(f"{source}: missing `language`")
    raw_classes = data.get("classes", {})
    if not isinstance(raw_classes, dict):
        raise DataError(f"{source}: [classes] must be a table")
    unknown = set(raw_classes) - _CLASSES
    if unknown:
        raise DataError(f"{source}: unknown classes {sorted(unknown)}")
    classes = {k: _lower_set(v, f"{source}: classes.{k}") for k, v in raw_classes.items()}
    raw_context = data.get("context", {})
    if not isinstance(raw_context, dict):
        raise DataError(f"{source}: [context] must be a table")
    context = {k: _lower_set(v, f"{source}: context.{k}") for k, v in raw_context.items()}

    rules: list[TriggerRule] = []
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise DataError(f"{source}: [[rule]] must be an array of tables")
    for n, raw in enumerate(raw_rules):
        where = f"{source}: rule {raw.get('id', n)!s}"
        extra = set(raw) - _RULE_KEYS
        if extra:
            raise DataError(f"{where}: unknown keys {sorted(extra)}")
        if raw.get("type") not in EVENT_TYPES:
            raise DataError(f"{where}: unknown event type {raw.get('type')!r}")
        patient = _lower_set(raw.get("patient", ["unknown"]), where)
        # "unknown" (a patient of no known class) also admits a trigger with no patient at all.
        if "unknown" in patient:
            patient = patient | {"none"}
        if patient - _PATIENT_CLASSES:
            raise DataError(f"{where}: unknown patient classes {sorted(patient - _PATIENT_CLASSES)}")
        nominal = str(raw.get("nominal", ""))
        if nominal not in _NOMINAL:
            raise DataError(f"{where}: unknown nominal mode {nominal!r}")
        rules.append(
            TriggerRule(
                id=f"{language}.{raw.get('id', n)}",
                type=raw["type"],
                pos=frozenset(raw.get("pos", ["VERB"])),
                lemmas=_lower_set(raw.get("lemmas", []), where),
                patient=patient,
                needs_child=_lower_set(raw.get("needs_child", []), where),
                needs_context=_lower_set(raw.get("needs_context", []), where),
                reject_child=_lower_set(raw.get("reject_child", []), where),
                needs_object=_lower_set(raw.get("needs_object", []), where),
                reject_context=_lower_set(raw.get("reject_context", []), where),
                reject_agent=_lower_set(raw.get("reject_agent", []), where),
                no_relative=bool(raw.get("no_relative", False)),
                nominal=nominal,
            )
        )
    by_lemma: dict[str, list[TriggerRule]] = {}
    for rule in rules:
        for lemma in rule.lemmas:
            by_lemma.setdefault(lemma, []).append(rule)
    return Lexicon(
        language=language,
        rules=tuple(rules),
        classes=classes,
        context=context,
        by_lemma={k: tuple(v) for k, v in by_lemma.items()},
        rule_pos=frozenset(p for r in rules for p in r.pos),
    )


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The bundled trigger lexicon of ``lang`` (cached per process)."""
    name = f"triggers_{lang}.toml"
    try:
        text = resources.files("crimewire.data").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(f"no trigger lexicon for language {lang!r} ({name})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{name}: {exc}") from exc
    lexicon = parse_lexicon(data, name)
    # "rescató a 12 colombianas": a demonym used as a noun names people. The class comes from
    # the knowledge base's demonym list, so that a new country needs one entry, not two.
    return replace(lexicon, classes={**lexicon.classes, "demonym": _demonyms(lang)})


def _demonyms(lang: str) -> frozenset[str]:
    raw = resources.files("crimewire.data").joinpath("demonyms.json").read_text(encoding="utf-8")
    return frozenset(
        d.lower() for country in json.loads(raw)["countries"] for d in country.get("demonyms", {}).get(lang, ())
    )
