"""Shards searched together score as one index: the claim docs/deploy.md makes, measured.

    .venv/bin/python benchmarks/shards.py                  # 5,000 records, 60 queries
    .venv/bin/python benchmarks/shards.py --records 20000

Generates a library (``benchmarks/search.py``'s generator), builds one index over all of it
and two shard indexes over its halves (odd and even records), then asks both the same
queries (the engine's own Whoosh queries, ``reslib.search.compile.text_query``): once through
the single index, once through a Whoosh ``MultiReader`` over the two shards' readers. BM25F
needs the collection's statistics (document frequencies, field lengths, document count): a
``MultiReader`` sums them over its readers, so the scores should be those of one index.

Prints, per query kind, how many queries gave the same matches, the largest relative score
difference, and whether the top 10 came out in the same order.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from search import generate, make_queries  # noqa: E402
from whoosh.reading import MultiReader  # noqa: E402
from whoosh.searching import Searcher  # noqa: E402

from reslib.catalogue import Catalogue  # noqa: E402
from reslib.config import Home  # noqa: E402
from reslib.index import open_live, rebuild  # noqa: E402
from reslib.search.compile import text_query  # noqa: E402
from reslib.search.parse import parse  # noqa: E402


def scores(searcher: Searcher, q: str) -> dict[str, float]:
    hits = searcher.search(text_query(parse(q)), limit=None)
    return {hit["id"]: hit.score for hit in hits}


def top(found: dict[str, float]) -> list[str]:
    return [k for k, _ in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=10, help="per query kind")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reslib-shards-"))
    try:
        whole = Home(work / "whole")
        Catalogue(whole).init()
        records = generate(whole, args.records, seed=args.seed)
        shards = [Home(work / "shard-a"), Home(work / "shard-b")]
        for n, shard in enumerate(shards):
            Catalogue(shard).init()
            shard.records.mkdir(parents=True, exist_ok=True)
            for record in records[n::2]:
                path = shard.records / f"{record['id']}.json"
                path.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
        t0 = time.perf_counter()
        for home in (whole, *shards):
            rebuild(home)
        print(
            f"{args.records} records: one index and two shards built in "
            f"{time.perf_counter() - t0:.0f} s"
        )
        one = open_live(whole)[1].searcher()
        readers = [open_live(s)[1].reader() for s in shards]
        together = Searcher(MultiReader(readers))
        queries = make_queries(records, random.Random(args.seed), args.queries)
        header = ("kind", "queries", "same matches", "max rel. diff", "same top 10")
        print("\n{:<18}{:>8}{:>14}{:>15}{:>13}".format(*header))
        for kind, items in queries.items():
            texts = [item.q if hasattr(item, "q") else str(item) for item in items]
            texts = [t for t in texts if t]
            same = same_top = 0
            worst = 0.0
            for q in texts:
                a, b = scores(one, q), scores(together, q)
                if a.keys() == b.keys():
                    same += 1
                    for k in a:
                        if a[k]:
                            worst = max(worst, abs(a[k] - b[k]) / abs(a[k]))
                if top(a) == top(b):
                    same_top += 1
            print(f"{kind:<18}{len(texts):>8}{same:>14}{worst:>15.2e}{same_top:>13}")
        one.close()
        together.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
