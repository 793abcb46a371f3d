"""The cube models: their vocabulary (`model.types`), the JSON files in Cubes' model
vocabulary that declare them, and the loader that reads those files (`model.loader`).

The engine, the server and the loader import these types from here; the model imports
nothing of theirs.
"""

from lmi_cubes.model.types import (
    DERIVED_KINDS,
    LOOKUP_ROLES,
    NO_PROTECTION,
    PERIOD_KINDS,
    PROTECTIONS,
    TABLE_PROTECTION,
    Aggregate,
    Cube,
    Dimension,
    Hierarchy,
    Level,
    Lookup,
    LookupKey,
    Model,
    Reliability,
    Rollup,
    find,
)

__all__ = [
    "DERIVED_KINDS",
    "LOOKUP_ROLES",
    "NO_PROTECTION",
    "PERIOD_KINDS",
    "PROTECTIONS",
    "TABLE_PROTECTION",
    "Aggregate",
    "Cube",
    "Dimension",
    "Hierarchy",
    "Level",
    "Lookup",
    "LookupKey",
    "Model",
    "Reliability",
    "Rollup",
    "find",
]
