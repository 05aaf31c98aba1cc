"""The protocol's error conditions: one exception carrying the code OAI-PMH defines.

An ``OAIError`` is not a ``ReslibError``: OAI-PMH answers errors inside a normal response (HTTP
200, an ``<error code="…">`` element), so the web layer must never turn it into an HTTP error.
"""

from __future__ import annotations

BAD_VERB = "badVerb"
BAD_ARGUMENT = "badArgument"
CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
ID_DOES_NOT_EXIST = "idDoesNotExist"
BAD_RESUMPTION_TOKEN = "badResumptionToken"
NO_RECORDS_MATCH = "noRecordsMatch"
NO_METADATA_FORMATS = "noMetadataFormats"
NO_SET_HIERARCHY = "noSetHierarchy"

#: Errors after which the response's ``<request>`` element names the base URL only: the
#: arguments could not be read, so echoing them could break the response's own schema.
UNREADABLE_REQUEST = (BAD_VERB, BAD_ARGUMENT)


class OAIError(Exception):
    """A protocol error: ``code`` is one of the codes above, ``message`` says why in words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
