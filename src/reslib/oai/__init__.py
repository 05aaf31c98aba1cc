"""OAI-PMH 2.0: how other libraries harvest the catalogue (issue 17).

Pure protocol logic: the request's arguments and the catalogue in, an XML tree out; the web
layer (``web/oai_views.py``) only reads the HTTP request and writes the bytes. No Flask here.

| module | what it owns |
| --- | --- |
| ``request`` | the verbs' argument rules, dates and their granularity, setSpec syntax |
| ``tokens`` | resumption tokens: the query and the place reached, with a lifetime |
| ``listing`` | every record and tombstone with its datestamp, in ``(datestamp, id)`` order |
| ``sets`` | set membership and setSpecs (type, language, organization) |
| ``formats`` | the metadata formats offered, each built from a ``view.RecordView`` |
| ``dublin_core``, ``mods`` | ``oai_dc`` and ``mods`` (MODS 3.6) |
| ``protocol`` | the six verbs and the response envelope |
| ``errors``, ``xml`` | the protocol's error codes; element helpers and serialization |
"""

from __future__ import annotations

from .errors import OAIError
from .protocol import Site, respond
from .xml import serialize

__all__ = ["OAIError", "Site", "respond", "serialize"]
