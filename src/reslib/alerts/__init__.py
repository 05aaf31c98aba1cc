"""Search alerts by email: subscriptions, signed links, digests and the mailing run.

No Flask and no click here: the site (``reslib.web.alerts_views``) and the command line
(``reslib.cli.alerts_cmds``) are thin shells over these modules.

| module | what it owns |
| --- | --- |
| ``address`` | what an email address may be; how a page shows one (masked) |
| ``query`` | an alert's search: from a search request, refused when empty, run again |
| ``store`` | ``library/alerts.json``: alerts, changes under the library lock, abuse limits |
| ``tokens`` | the library's link secret; signed confirm, unsubscribe and address-page links |
| ``digest`` | the records added or updated since an alert's last mail that its search finds |
| ``strings``, ``messages`` | UI strings and templates outside Flask; the two kinds of mail |
| ``send`` | SMTP from the settings; the run that mails digests and marks them sent |
"""

from __future__ import annotations

from .address import check_address, masked
from .query import query_of
from .send import MailError, NotConfigured, RunReport, enabled, run, send_confirmation
from .store import Alert, AlertStore, TooMany
from .tokens import LinkExpired

__all__ = [
    "Alert",
    "AlertStore",
    "LinkExpired",
    "MailError",
    "NotConfigured",
    "RunReport",
    "TooMany",
    "check_address",
    "enabled",
    "masked",
    "query_of",
    "run",
    "send_confirmation",
]
