"""Registry search as community workers type it (name fragment, pinyin
initials, ID tail, mobile tail), through the page's own queryset, against the
same SQL run directly."""

from __future__ import annotations

from django.db import connection

from bench.harness import Context, Result, latencies, percentile

QUERIES = {"name": "王", "initials": "wl", "id_tail": "0012", "phone_tail": "0012"}


def run(ctx: Context) -> list[Result]:
    from civicgrid.accounts.models import User
    from civicgrid.people.models import Person
    from civicgrid.people.selectors import PersonFilters, person_queryset, with_list_relations

    admin = User.objects.filter(username="admin").first()
    total = Person.objects.count()
    if admin is None or not total:
        return []
    results = []
    for kind, query in QUERIES.items():
        qs = with_list_relations(person_queryset(admin, PersonFilters(q=query))).order_by("name", "id")

        def ours(qs=qs) -> None:
            list(qs[:50])

        sql, params = qs[:50].query.sql_with_params()

        def raw(sql=sql, params=params) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        mine, base = percentile(latencies(ours, 40), 95), percentile(latencies(raw, 40), 95)
        results.append(
            Result(
                benchmark=f"search_{kind}_p95",
                scale=ctx.scale,
                n=total,
                unit="ms p95",
                ours=mine,
                baseline=base,
                baseline_name="same SQL, raw cursor",
                higher_is_better=False,
                target="p95 < 50 ms",
                target_met=mine < 50,
            )
        )
    return results
