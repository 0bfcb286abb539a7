"""Time a reorganisation at province scale: merging two communes of 5,000 party members each into a new commune
(budget 2 s), and, for reference, merging two cells of 5,000 members each (every member changes cell).

Runs on the benchmark database (bench/generate.py first) inside a transaction that is rolled back, so the
generated data stays as it was. Writes its section of bench/RESULTS.md and its figures in bench/results.json.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402

MEMBERS = 5_000
CELLS = 20
BUDGET_S = 2.0
ON = dt.date(2026, 7, 1)


class Rollback(Exception):
    pass


def build(province, level, rng, seq, name):
    import generate

    commune = generate.org_row(name, "grassroots", province, level, doc_code="ĐU", valid_from=dt.date(2020, 1, 1))
    generate.insert_orgs([commune])
    cells = [
        generate.org_row(f"Chi bộ số {i} {name}", "cell", commune, level, doc_code="CB", valid_from=dt.date(2020, 1, 1))
        for i in range(1, CELLS + 1)
    ]
    generate.insert_orgs(cells)
    from dongthuan.people.models import Person

    people = [
        generate.person_row(rng, next(seq), cells[i % CELLS], commune, dt.date(2026, 1, 1)) for i in range(MEMBERS)
    ]
    Person.objects.bulk_create(people, batch_size=2000)
    return commune, cells


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    benchenv.setup()
    from django.db import transaction

    from dongthuan.organizations.models import Level, Organization
    from dongthuan.people.models import Person
    from dongthuan.restructuring import services as rs

    if benchenv.read_meta() is None:
        sys.exit("No benchmark data: run bench/generate.py first (scripts/bench does).")
    province = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    commune_level = Level.objects.get(code="commune")
    rng = random.Random(7)  # noqa: S311
    seq = iter(range(9_000_000_000, 9_100_000_000))
    figures = {}
    try:
        with transaction.atomic():
            a, cells_a = build(province, commune_level, rng, seq, "Xã Thử Nghiệm A")
            b, cells_b = build(province, commune_level, rng, seq, "Xã Thử Nghiệm B")
            new = rs.NewOrg(name="Xã Thử Nghiệm AB", kind="grassroots", level=commune_level, parent=province)
            plan, t_plan = timed(lambda: rs.plan_merge(sources=[a, b], on=ON, new=new))
            _, t_preview = timed(lambda: rs.preview(plan))
            _, t_apply = timed(
                lambda: rs.restructuring_apply(actor=None, plan=plan, reason="bench", legal_basis="bench")
            )
            figures["merge_communes"] = t_plan + t_apply
            figures["merge_communes_preview"] = t_preview
            # Two cells of 5,000 members each: every member changes cell.
            big = []
            for cells in (cells_a, cells_b):
                Person.objects.filter(cell__in=cells[1:]).update(cell=cells[0])
                big.append(Organization.objects.get(pk=cells[0].pk))
            cell_new = rs.NewOrg(
                name="Chi bộ hợp nhất",
                kind="cell",
                level=commune_level,
                parent=Organization.objects.get(name="Xã Thử Nghiệm AB"),
            )
            plan, t_plan = timed(lambda: rs.plan_merge(sources=big, on=dt.date(2026, 8, 1), new=cell_new))
            _, t_apply = timed(
                lambda: rs.restructuring_apply(actor=None, plan=plan, reason="bench", legal_basis="bench")
            )
            figures["merge_cells"] = t_plan + t_apply
            raise Rollback
    except Rollback:
        pass
    write(figures)


def write(figures: dict[str, float]) -> None:
    import run

    database = benchenv.vendor()
    date = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat(timespec="seconds")
    rows = [
        ("merge_communes", "merge two communes of 5,000 members each (20 cells each) into a new commune", BUDGET_S),
        ("merge_communes_preview", "preview of that merge", None),
        ("merge_cells", "merge two cells of 5,000 members each (10,000 members change cell)", None),
    ]
    print(f"\n{'name':<24}{'seconds':>10}  budget  pass  what")
    lines = ["| name | what | seconds | budget s | pass |", "|---|---|---:|---:|---|"]
    for name, what, budget in rows:
        ok = "yes" if budget is None or figures[name] <= budget else "**NO**"
        print(f"{name:<24}{figures[name]:>10.2f}  {budget or '—':>6}  {ok:<4}  {what}")
        lines.append(f"| {name} | {what} | {figures[name]:.2f} | {budget or '—'} | {ok} |")
    info = run.machine()
    section = [
        f"<!-- section:merge-{database} -->",
        f"## Reorganisation on {info['database']}",
        "",
        f"- Date: {date}; code: commit {info['commit']}; machine: {info['cpu']}",
        "- Method: bench/merge_bench.py builds two communes of 5,000 members in the benchmark database, times plan "
        "and apply (one transaction, with audit rows), then rolls everything back.",
        "",
        *lines,
        "",
        f"<!-- /section:merge-{database} -->",
    ]
    text = run.RESULTS_MD.read_text(encoding="utf-8") if run.RESULTS_MD.exists() else ""
    pattern = re.compile(rf"<!-- section:merge-{database} -->.*?<!-- /section:merge-{database} -->", re.S)
    block = "\n".join(section)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    run.RESULTS_MD.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    data = json.loads(run.RESULTS_JSON.read_text(encoding="utf-8")) if run.RESULTS_JSON.exists() else []
    names = {f"{n}.seconds" for n, _w, _b in rows}
    data = [f for f in data if not (f.get("database") == database and f.get("name") in names)]
    data += [
        {
            "name": f"{n}.seconds",
            "value": round(figures[n], 3),
            "unit": "s",
            "budget": b,
            "scale": 1.0,
            "database": database,
            "date": date,
        }
        for n, _w, b in rows
    ]
    run.RESULTS_JSON.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
