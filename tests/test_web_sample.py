"""A small bilingual library for the web and browser tests (helpers only, no tests here).

Built through the catalogue like a librarian would, then indexed through ``reslib.index``.
It holds a report in English and its Burmese translation, a joint statement, the weekly update
that lists them, a record with a hostile title, and a record with an original file.
"""

from __future__ import annotations

from pathlib import Path

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import rebuild
from reslib.models import Record

HOSTILE_TITLE = "</script><script>alert('x')</script> <img src=x onerror=alert(1)> Hostile title"
BURMESE_TITLE = "စစ်ကိုင်းတိုင်းတွင် ဖမ်းဆီးမှုများ"


def build_sample(root: Path) -> Home:
    home = Home(root)
    cat = Catalogue(home)
    cat.init()
    cat.add(
        Record(
            id="2023-09-10-arbitrary-arrests-in-sagaing",
            type="report",
            title="Arbitrary Arrests in Sagaing Region",
            language="en",
            date="2023-09-10",
            organizations=["Progressive Voice"],
            summary="A report on arbitrary arrests of villagers by the military in Sagaing.",
            body="Soldiers arrested villagers in Sagaing.\n\nFamilies were not told where.",
            places=["Sagaing"],
            topics=["arrests"],
            source_url="https://example.org/reports/sagaing",
        )
    )
    cat.add(
        Record(
            id="2023-09-10-sagaing-arrests-my",
            type="report",
            title=BURMESE_TITLE,
            language="my",
            date="2023-09-10",
            organizations=["Progressive Voice"],
            summary="စစ်ကိုင်းတိုင်းရှိ ကျေးရွာသားများကို စစ်တပ်က ဖမ်းဆီးမှုများအကြောင်း အစီရင်ခံစာ။",
            body="စစ်သားများသည် ကျေးရွာသားများကို ဖမ်းဆီးခဲ့သည်။",
            places=["Sagaing"],
            translations=["2023-09-10-arbitrary-arrests-in-sagaing"],
        )
    )
    cat.add(
        Record(
            id="2023-11-01-joint-statement-on-airstrikes",
            type="statement",
            title="Joint Statement on Airstrikes against Schools",
            language="en",
            date="2023-11-01",
            organizations=["Asia Justice and Rights", "Progressive Voice"],
            summary="Organizations condemn airstrikes on schools in Magway.",
            body="We condemn the airstrikes on schools.",
            places=["Magway"],
        )
    )
    cat.add(
        Record(
            id="2023-09-15-weekly-update",
            type="update",
            title="Weekly Update 15 September 2023",
            language="en",
            date="2023-09-15",
            organizations=["Progressive Voice"],
            summary="Resources from the past week.",
            related=[
                "2023-09-10-arbitrary-arrests-in-sagaing",
                "2023-11-01-joint-statement-on-airstrikes",
            ],
        )
    )
    cat.add(
        Record(
            id="2022-05-01-hostile",
            type="news",
            title=HOSTILE_TITLE,
            language="en",
            date="2022-05-01",
            organizations=["Amnesty International"],
            summary="<b>bold</b> & an ampersand",
        )
    )
    original = root / "letter.pdf"
    original.write_bytes(b"%PDF-1.4\n% a tiny stand-in for an original document\n")
    cat.add(
        Record(
            id="2021-03-01-open-letter",
            type="open-letter",
            title="Open Letter to the Security Council",
            language="en",
            date="2021-03-01",
            organizations=["Progressive Voice"],
            summary="An open letter asking for an arms embargo.",
        ),
        attach=original,
    )
    rebuild(home)
    return home
