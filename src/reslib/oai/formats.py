"""The metadata formats a record is offered in, and what each one is built from.

``oai_dc`` (``dublin_core``) is the format every harvester reads. ``mods`` (``mods``) is the
richer one, for library harvesters (catalogues, discovery systems and aggregators that ingest
MODS): it keeps what Dublin Core flattens, namely dates a machine can compare (W3C-DTF), places
apart from topics, organizations typed as corporate creators, ISO 639-2 language codes, each
translation as a related version with its own title and address, and the weekly updates that
list an item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from . import dublin_core, mods
from .view import RecordView


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    build: Callable[[RecordView], ET.Element]


#: By prefix, in the order ListMetadataFormats gives them.
FORMATS: dict[str, MetadataFormat] = {
    "oai_dc": MetadataFormat(
        "oai_dc", dublin_core.SCHEMA, dublin_core.NAMESPACE, dublin_core.oai_dc
    ),
    "mods": MetadataFormat("mods", mods.SCHEMA, mods.NAMESPACE, mods.mods),
}
