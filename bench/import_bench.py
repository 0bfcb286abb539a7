"""Time the import of 200,000 party members from .xlsx and from .csv into the province (budget ≥ 5,000 rows/s on
SQLite, counting the check that makes the preview and the import that checks again and writes, with audit rows).

Runs on the benchmark database (bench/generate.py first): the file lists new members spread over the generated
cells, named by id and name as an export would; each run is rolled back, so the generated data stay as they
were. Writes its section of bench/RESULTS.md and its figures in bench/results.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402

ROWS = 200_000
BUDGET_ROWS_S = 5_000
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Quang", "Thanh", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Lan", "Linh", "Mai", "Nam", "Sơn"]


class Rollback(Exception):
    pass


def build_rows(cells: list[tuple[int, str]], rng: random.Random) -> tuple[list[str], list[list[str]]]:
    from dongthuan.exchange.layouts import columns

    headers = [c.header for c in columns("people")]
    rows = []
    for i in range(ROWS):
        cell_id, cell_name = cells[i % len(cells)]
        joined = dt.date(1980, 1, 1) + dt.timedelta(days=rng.randrange(16_000))
        full = joined + dt.timedelta(days=365)
        birth = joined - dt.timedelta(days=365 * rng.randrange(18, 40))
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        rows.append(
            [
                "",
                name,
                rng.choice(["Nam", "Nữ"]),
                birth.strftime("%d/%m/%Y"),
                "Đảng viên chính thức",
                f"N{i:08d}",
                joined.strftime("%d/%m/%Y"),
                full.strftime("%d/%m/%Y"),
                str(cell_id),
                cell_name,
                "",
                "",
                f"09{rng.randrange(10**8):08d}",
                "",
                "",
            ]
        )
    return headers, rows


def to_xlsx(headers: list[str], rows: list[list[str]]) -> bytes:
    from dongthuan.exchange.export import Column, xlsx_bytes

    columns = [Column(h, lambda r, i=i: r[i]) for i, h in enumerate(headers)]
    return xlsx_bytes("Cán bộ, đảng viên", columns, rows)


def to_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    from dongthuan.exchange.export import Column, csv_bytes

    columns = [Column(h, lambda r, i=i: r[i]) for i, h in enumerate(headers)]
    return csv_bytes(columns, rows)


def run_one(fmt: str, content: bytes, province, actor) -> dict[str, float]:
    from django.db import transaction

    from dongthuan.exchange import services
    from dongthuan.exchange.models import ImportBatch
    from dongthuan.people.models import Person

    figures: dict[str, float] = {}
    before = Person.objects.count()
    try:
        with transaction.atomic():
            start = time.perf_counter()
            batch = services.import_upload(
                actor=actor, organization=province, kind="people", file_name=f"bench.{fmt}", content=content
            )
            figures["check"] = time.perf_counter() - start
            batch = ImportBatch.objects.get(pk=batch.pk)
            assert batch.status == "ready", (batch.status, batch.message, batch.rows_error)
            assert batch.rows_create == ROWS, batch.rows_create
            start = time.perf_counter()
            services.import_confirm(actor=actor, batch=batch)
            figures["import"] = time.perf_counter() - start
            batch = ImportBatch.objects.get(pk=batch.pk)
            assert batch.status == "done", (batch.status, batch.message)
            assert Person.objects.count() == before + ROWS
            raise Rollback
    except Rollback:
        pass
    figures["total"] = figures["check"] + figures["import"]
    figures["rows_s"] = ROWS / figures["total"]
    figures["mb"] = len(content) / 1024 / 1024
    return figures


def main() -> None:
    os.environ["EXCHANGE_JOBS"] = "inline"
    benchenv.setup()
    from django.contrib.auth import get_user_model

    from dongthuan.organizations.models import Organization

    if benchenv.read_meta() is None:
        sys.exit("No benchmark data: run bench/generate.py first (scripts/bench does).")
    province = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    cells = list(
        Organization.objects.filter(kind="cell", path__startswith=province.path, status__in=["active", "forming"])
        .order_by("pk")
        .values_list("pk", "name")
    )
    actor = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.first()
    headers, rows = build_rows(cells, random.Random(11))  # noqa: S311
    results = {}
    for fmt, make in (("csv", to_csv), ("xlsx", to_xlsx)):
        content = make(headers, rows)
        results[fmt] = run_one(fmt, content, province, actor)
        f = results[fmt]
        print(
            f"{fmt}: {f['mb']:.1f} MB, check {f['check']:.1f} s, import {f['import']:.1f} s, {f['rows_s']:,.0f} rows/s",
            flush=True,
        )
    write(results)


def write(results: dict[str, dict[str, float]]) -> None:
    import run

    database = benchenv.vendor()
    date = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat(timespec="seconds")
    lines = [
        "| name | what | file MB | check s | import s | rows/s | budget rows/s | pass |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    budget = BUDGET_ROWS_S if database == "sqlite" else None
    for fmt, f in results.items():
        ok = "yes" if budget is None or f["rows_s"] >= budget else "**NO**"
        lines.append(
            f"| import_people_{fmt} | import {ROWS:,} new party members from .{fmt} into the province | "
            f"{f['mb']:.1f} | {f['check']:.1f} | {f['import']:.1f} | {f['rows_s']:,.0f} | {budget or '—'} | {ok} |"
        )
    info = run.machine()
    section = [
        f"<!-- section:import-{database} -->",
        f"## Import of lists on {info['database']}",
        "",
        f"- Date: {date}; code: commit {info['commit']}; machine: {info['cpu']}",
        "- Method: bench/import_bench.py writes a file of new members (15 template columns, cells by id and name) "
        "and runs the upload's check (read, check every row, store the preview) and the confirmed import (check "
        "again, write people and audit rows in one transaction) in the process, then rolls everything back. "
        "rows/s = rows ÷ (check + import).",
        "",
        *lines,
        "",
        f"<!-- /section:import-{database} -->",
    ]
    text = run.RESULTS_MD.read_text(encoding="utf-8") if run.RESULTS_MD.exists() else ""
    pattern = re.compile(rf"<!-- section:import-{database} -->.*?<!-- /section:import-{database} -->", re.S)
    block = "\n".join(section)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    run.RESULTS_MD.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    data = json.loads(run.RESULTS_JSON.read_text(encoding="utf-8")) if run.RESULTS_JSON.exists() else []
    names = {f"import_people_{fmt}.rows_per_s" for fmt in results}
    data = [f for f in data if not (f.get("database") == database and f.get("name") in names)]
    data += [
        {
            "name": f"import_people_{fmt}.rows_per_s",
            "value": round(f["rows_s"]),
            "unit": "rows/s",
            "budget": budget,
            "check_s": round(f["check"], 2),
            "import_s": round(f["import"], 2),
            "scale": 1.0,
            "database": database,
            "date": date,
        }
        for fmt, f in results.items()
    ]
    run.RESULTS_JSON.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
