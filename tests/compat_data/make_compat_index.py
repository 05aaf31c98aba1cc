"""Write a tiny library and its index, to be committed and opened by every later version.

    git archive <commit> src | tar -x -C /tmp/old
    PYTHONPATH=/tmp/old/src .venv/bin/python tests/compat_data/make_compat_index.py OUT

``OUT`` becomes a library root (``library/`` and ``indexes/``) built by the code at
``<commit>``, through the catalogue with the index listener, as a librarian's commands build
one: the first save builds the index, every later save commits a segment of its own, an edit
and a removal leave deleted documents behind. ``tests/test_index_compat.py`` opens the
committed copy with today's code (tantivy keeps ``compat_tests_data/`` for the same reason):
the schema, its analyzers and the codec are pickled into the index, so renaming one of those
classes breaks every index already built unless the old import path keeps working.

Only public names of the catalogue and index are used, so the script runs on any version;
run it on the OLD code only, as the point is to keep what that code wrote.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reslib.catalogue import Catalogue
from reslib.config import Home
from reslib.index import IndexUpdater, live_dir
from reslib.models import Record
from reslib.search import SearchRequest, search

RECORDS = [
    Record(
        id="2023-09-15-sagaing-villages-burned",
        type="report",
        title="Villages burned in Sagaing Region",
        language="en",
        date="2023-09-15",
        organizations=["Progressive Voice"],
        places=["Sagaing"],
        body="The military burned villages in Sagaing Region. Women and children fled "
        "to the forest. Human rights defenders documented the airstrikes.",
    ),
    Record(
        id="2023-09-16-sagaing-my",
        type="report",
        title="စစ်ကိုင်းတိုင်း ရွာများ မီးရှို့ခံရ",
        language="my",
        date="2023-09-16",
        organizations=["Progressive Voice"],
        places=["Sagaing"],
        body="စစ်တပ်က စစ်ကိုင်းတိုင်းရှိ ရွာများကို မီးရှို့ခဲ့သည်။ အမျိုးသမီးများနှင့် ကလေးများ တောထဲသို့ ထွက်ပြေးခဲ့ရသည်။",
    ),
    Record(
        id="2023-11-02-karenni-airstrikes",
        type="statement",
        title="Airstrikes in Karenni State",
        language="en",
        date="2023-11-02",
        organizations=["Karenni Human Rights Group"],
        places=["Karenni"],
        body="Airstrikes forced thousands from their homes near Loikaw. The junta "
        "arrested teachers.",
    ),
    Record(
        id="2024-01-10-kachin-news",
        type="news",
        title="ကချင်ပြည်နယ် သတင်း",
        language="my",
        date="2024-01-10",
        organizations=["Kachin Women's Union"],
        places=["Kachin"],
        body="ကချင်ပြည်နယ်တွင် စစ်တပ်က ရွာကို မီးရှို့ခဲ့သည်။ ရွာသားများ ထွက်ပြေးခဲ့ရသည်။",
    ),
    Record(
        id="2022-05-01-to-be-removed",
        type="update",
        title="Weekly update on Sagaing",
        language="en",
        date="2022-05-01",
        organizations=["Progressive Voice"],
        body="Sagaing villages burned; this record is removed after indexing.",
    ),
]


def build(root: Path) -> None:
    home = Home(root)
    catalogue = Catalogue(home, listeners=[IndexUpdater(home)])
    catalogue.init()
    for record in RECORDS:
        catalogue.add(record)
    # A translation link rewrites both records (two deleted documents), an edit one more,
    # and a removal leaves the last one: the index has deletions in several segments.
    catalogue.update("2023-09-16-sagaing-my", ["translations+=2023-09-15-sagaing-villages-burned"])
    catalogue.update("2023-11-02-karenni-airstrikes", ["summary=Loikaw residents displaced."])
    catalogue.remove("2022-05-01-to-be-removed")
    path = live_dir(home)
    assert path is not None
    for leftover in (home.library / ".lock", path / "MAIN_WRITELOCK"):
        leftover.unlink(missing_ok=True)  # lock files, made again when needed
    lines = [
        f"{json.dumps(q, ensure_ascii=False)}: {json.dumps(answer(home, q), ensure_ascii=False)}"
        for q in QUERIES
    ]
    (root / "expected.json").write_text("{\n" + ",\n".join(lines) + "\n}\n", "utf-8")
    print(f"built {path}")


#: Asked of the old index when it is built and again by every later version.
QUERIES = [
    "sagaing",
    "ရွာ မီးရှို့",
    '"burned villages"',
    "airstrikes -loikaw",
    "type:statement",
    "lang:my",
    "",
    "sagiang",
    "removed",
]


def answer(home: Home, q: str) -> dict[str, object]:
    """What a search answers, in the terms every version reports (ids, scores, facets)."""
    response = search(home, SearchRequest(q=q)).to_dict()
    return {
        "total": response["total"],
        "results": [
            [r["id"], r["score"], [t["id"] for t in r["translations"]]] for r in response["results"]
        ],
        "facets": {
            name: [[c["value"], c["count"]] for c in counts]
            for name, counts in response["facets"].items()
        },
        "did_you_mean": response["did_you_mean"],
    }


if __name__ == "__main__":
    build(Path(sys.argv[1]))
