"""How the kit's list cost grows with the page size and the table size, on PostgreSQL.

    python bench/scaling.py                      # 10^3, 10^5 and 10^6 rows (under a minute)
    python bench/scaling.py --sizes 1000 100000  # fewer

It creates the database ``--database`` (dropped first; its name must contain ``bench``), fills
``example_item`` to each size in turn (``generate_series``, then ``ANALYZE``) and, at each size,
times requests through Django's WSGI handler in this process (all middleware, no server) for page
sizes 20, 100 and 1000: the full list (JWT, rights, a 3-field filter matching about a fifth of
the rows, page with a count, envelope) and the bare list (no filter, no authentication). It prints
the median latency, the SQL queries per request (constant in the page size), the time of the
list's ``COUNT`` alone, which is what grows with the table, and the bare list again with
``KIT["COUNT_ESTIMATE_ABOVE"] = 100_000`` (PostgreSQL's estimate instead of ``COUNT`` above that).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: bench/ is not a path entry

from bench.common import InProcess, fill, recreate, setup_django

PAGE_SIZES = (20, 100, 1000)
DEFAULT_SIZES = (1_000, 100_000, 1_000_000)
ESTIMATE_ABOVE = 100_000


def grow(rows: int, category: int) -> None:
    """Add items until the table holds ``rows`` (in SQL: a million rows take seconds), then ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM example_item")
        start = cursor.fetchone()[0] + 1
        cursor.execute(
            """
            INSERT INTO example_item (name, count, price, is_active, uid, created_at, category_id)
            SELECT 'item ' || n, n %% 50, (n %% 997) + (n %% 100) / 100.0, n %% 3 <> 0, md5(n::text)::uuid,
                   TIMESTAMPTZ '2026-01-01' + n * INTERVAL '1 second', %s + n %% 5
            FROM generate_series(%s, %s) AS n
            """,
            [category, start, rows],
        )
        cursor.execute("ANALYZE example_item")


def count_ms(client: InProcess, category: int, requests: int) -> float:
    """Median milliseconds of the full list's COUNT query alone."""
    import time

    from tests.example.models import Item

    times = []
    for _ in range(requests):
        start = time.perf_counter()
        Item.objects.filter(is_active=True, count__gte=10, category=category).count()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/kit_bench_scaling")
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/12", help="the shared cache")
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES, help="table sizes, growing")
    parser.add_argument("--requests", type=int, default=15, help="requests per measurement (median kept)")
    args = parser.parse_args()

    recreate(args.database)
    setup_django(args.database, args.cache)
    from django.conf import settings
    from django.core.cache import cache
    from django.test.utils import override_settings

    cache.clear()
    fixture = fill(0)
    client = InProcess()
    full = "/kit/items?is_active=true&count__ge=10&category={category}&page_size={size}"
    print(
        "| rows in table | page size | full list ms | bare list ms | queries (full, bare) | COUNT alone ms "
        f"| bare list ms, estimated above {ESTIMATE_ABOVE:,} |"
    )
    print("|---:|---:|---:|---:|---|---:|---:|")
    for rows in args.sizes:
        grow(rows, fixture.category)
        for size in PAGE_SIZES:
            full_path = full.format(category=fixture.category, size=size)
            bare_path = f"/kit/bare?page_size={size}"
            queries = (client.queries(full_path, fixture.token), client.queries(bare_path))
            full_ms = client.latency_ms(full_path, fixture.token, args.requests)
            bare_ms = client.latency_ms(bare_path, None, args.requests)
            counting = count_ms(client, fixture.category, args.requests)
            with override_settings(KIT={**settings.KIT, "COUNT_ESTIMATE_ABOVE": ESTIMATE_ABOVE}):
                estimated_ms = client.latency_ms(bare_path, None, args.requests)
            cells = [f"{rows:,}", str(size), f"{full_ms:.2f}", f"{bare_ms:.2f}"]
            cells += [f"{queries[0]}, {queries[1]}", f"{counting:.2f}", f"{estimated_ms:.2f}"]
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
