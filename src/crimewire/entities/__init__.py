"""Entity finders over cleaned text: criminal groups, agencies, nationalities and people.

Each finder takes the cleaned text (and optionally a spaCy ``Doc`` of it, used only for
sentence boundaries) and returns typed matches with offsets into that text. Vocabularies
live in the knowledge base and ``data/entity_patterns.toml``; this module holds mechanisms:

* groups: dictionary matching of every alias (see ``kb.AliasIndex``), plus discovery of
  unknown groups from cue patterns ("a gang called X", "la banda criminal X") and of
  faction relations stated in the text ("X, a faction of Y");
* agencies: the agency lexicon, capitalized phrases headed by an agency word ("Tribunal Oral
  en lo Penal de Arica"), "[demonym] police", "[Country]'s navy" and the bare "police";
* nationalities: demonyms that describe people, not agencies, places or groups;
* persons: people named with an alias or a title.
"""

from crimewire.entities._common import demonym_country, sentence_spans
from crimewire.entities.agencies import find_agencies
from crimewire.entities.nationalities import find_nationalities
from crimewire.entities.organizations import find_organizations
from crimewire.entities.persons import find_persons

__all__ = [
    "demonym_country",
    "find_agencies",
    "find_nationalities",
    "find_organizations",
    "find_persons",
    "sentence_spans",
]
