"""The names people use for a service, added to the search document of matching organisations.

One definition, used at indexing time only (`search.organisation_document`): an organisation
whose folded network or structure type contains `match` is also found by `terms`. So a query
"France Travail" finds Pôle emploi agencies, "impôts" the DGFIP, "Assurance maladie" the CPAM,
without rewriting the query (the same query text works on PostgreSQL and SQLite).
Documented in docs/decisions/0005-search-ranking.md; tested in tests/catalogue/test_search.py.
"""

from typing import Literal, NamedTuple


class Synonym(NamedTuple):
    field: Literal["network", "type"]
    match: str  # folded substring of the network or type name
    terms: str  # folded words added to the organisation's "kind" text (weight B)


SYNONYMS: tuple[Synonym, ...] = (
    Synonym("network", "pole emploi", "france travail pole emploi agence emploi"),
    Synonym("network", "dgfip", "impots finances publiques dgfip centre des impots"),
    Synonym("type", "impots des particuliers", "sip impots particuliers"),
    Synonym("type", "impots des entreprises", "sie impots entreprises"),
    Synonym("type", "tresorerie", "tresor public"),
    Synonym("network", "cnam", "assurance maladie cpam securite sociale ameli"),
    Synonym("network", "cnaf", "caf allocations familiales"),
    Synonym("network", "cnav", "assurance retraite carsat retraite"),
    Synonym("network", "ccmsa", "msa mutualite sociale agricole"),
    Synonym("type", "prefecture", "prefecture"),  # "Sous-préfecture" matches too: both terms
    Synonym("type", "sous prefecture", "sous prefecture"),
    Synonym("network", "collectivites territoriales communes", "mairie hotel de ville"),
    Synonym("network", "dgddi", "douane douanes"),
    Synonym("network", "police nationale", "police commissariat"),
    Synonym("network", "gendarmerie", "gendarmerie brigade"),
    Synonym("network", "ants", "titres securises carte grise permis passeport"),
    Synonym("network", "france services", "france services maison msap"),
    Synonym("network", "justice", "justice"),
    Synonym("network", "etablissement francais du sang", "efs don du sang"),
    Synonym("network", "crous", "crous logement etudiant bourse"),
)


def synonym_terms(network: str, type_name: str) -> list[str]:
    """Extra terms for an organisation of this (folded) network and type."""
    fields = {"network": network, "type": type_name}
    return [s.terms for s in SYNONYMS if s.match in fields[s.field]]
