"""Time the organisation tree, member lists and searches on the generated province.

Each page is requested through django.test.Client (the whole middleware stack, DEBUG off) as the province
secretary: a few warm-up requests, then --reps timed ones. The number of queries is taken from one more,
separate request, so that capturing them does not slow the timed ones. A page whose p95 misses its budget
gets its slowest queries listed with their time and query plan.

Prints a table and writes bench/RESULTS.md (for people) and bench/results.json (for tools); figures of
another database already in those files are kept.

Usage: bench/run.py [--reps 50] [--warmup 5]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import benchenv

BUDGET_MS = 50.0
RESULTS_MD = benchenv.BENCH_DIR / "RESULTS.md"
RESULTS_JSON = benchenv.BENCH_DIR / "results.json"
COMMUNE_QUERY = "nguyen van"


@dataclass
class Case:
    name: str
    url: str
    what: str
    expect: str = ""  # a string the page must contain (a sanity check on the data it shows)
    times_ms: list[float] = field(default_factory=list)
    queries: list[dict[str, str]] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return percentile(self.times_ms, 95)

    @property
    def passed(self) -> bool:
        return self.p95 <= BUDGET_MS


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with at least pct % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def build_cases(meta: dict[str, Any]) -> list[Case]:
    from django.conf import settings
    from django.urls import reverse

    from dongthuan.core.text import fold
    from dongthuan.organizations.models import Organization
    from dongthuan.people import selectors
    from dongthuan.people.models import Person

    province = Organization.objects.get(pk=meta["province_id"])
    commune = Organization.objects.get(pk=meta["commune_id"])
    n_children = province.children.count()
    n_members = selectors.members(commune).count()
    middle = max(1, math.ceil(n_members / settings.PAGE_SIZE) // 2)
    n_found = selectors.members(commune, COMMUNE_QUERY).count()
    # A full name from the far end of the province: few hits, the whole table still has to be searched.
    someone = Person.objects.filter(cell__isnull=False).order_by("-id").values_list("full_name", flat=True)[0]
    full_name = fold(someone)
    members_url = reverse("people:members", args=[commune.pk])
    search_url = reverse("people:search")
    return [
        Case("tree", reverse("organizations:tree"), "organisation tree page (the province as root)", province.name),
        Case(
            "tree_children",
            reverse("organizations:children", args=[province.pk]),
            f"expand the province: {n_children} communes",
            f'data-org="{commune.pk}"',
        ),
        Case("members_page1", members_url, f"{commune.name}: members, page 1 of {n_members:,}", f"{n_members}"),
        Case("members_middle", f"{members_url}?page={middle}", f"{commune.name}: members, page {middle}", f"{middle}/"),
        Case(
            "members_search",
            f"{members_url}?q={COMMUNE_QUERY.replace(' ', '+')}",
            f'{commune.name}: search "{COMMUNE_QUERY}" ({n_found} found)',
            f"{n_found}",
        ),
        Case(
            "people_search",
            f"{search_url}?q={COMMUNE_QUERY.replace(' ', '+')}",
            f'province-wide person search "{COMMUNE_QUERY}"',
            'data-testid="people"',
        ),
        Case(
            "people_search_full_name",
            f"{search_url}?q={full_name.replace(' ', '+')}",
            f'province-wide person search "{full_name}"',
            someone,
        ),
    ]


def request(client: Any, case: Case) -> Any:
    response = client.get(case.url)
    if response.status_code != 200:
        sys.exit(f"{case.name}: GET {case.url} answered {response.status_code}")
    return response


def measure(client: Any, cases: list[Case], reps: int, warmup: int) -> None:
    """Requests go round the pages (one of each, then again), so that a moment when the machine is busy
    spreads over all pages instead of falling on one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for case in cases:
        for _ in range(warmup):
            response = request(client, case)
        if case.expect and case.expect not in response.content.decode():
            sys.exit(f"{case.name}: the page does not show {case.expect!r}; is the data what generate.py made?")
    for _ in range(reps):
        for case in cases:
            started = time.perf_counter()
            request(client, case)
            case.times_ms.append((time.perf_counter() - started) * 1000)
    for case in cases:
        with CaptureQueriesContext(connection) as captured:
            request(client, case)
        case.queries = list(captured.captured_queries)


def explain(case: Case, top: int = 3) -> None:
    """For a page over budget: its slowest queries, each timed again alone (median of 5) with its plan."""
    from django.db import connection

    timed = []
    for q in case.queries:
        runs = []
        for _ in range(5):
            with connection.cursor() as cur:
                started = time.perf_counter()
                cur.execute(q["sql"])
                cur.fetchall()
                runs.append((time.perf_counter() - started) * 1000)
        timed.append((statistics.median(runs), q["sql"]))
    timed.sort(reverse=True)
    for ms, sql in timed[:top]:
        case.slow.append(f"{ms:.1f} ms  {shorten(sql)}\n{shorten(query_plan(sql))}")


def query_plan(sql: str) -> str:
    """SQLite: EXPLAIN QUERY PLAN as an indented tree. PostgreSQL: EXPLAIN (ANALYZE, BUFFERS)."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor != "sqlite":
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(row[0] for row in cur.fetchall())
        cur.execute("EXPLAIN QUERY PLAN " + sql)
        depth: dict[int, int] = {0: -1}
        lines = []
        for node, parent, _unused, detail in cur.fetchall():
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        return "\n".join(lines)


def shorten(text: str) -> str:
    """Long lists of ids (IN (1, 2, …) in SQL, {1,2,…} in PostgreSQL plans) and long column lists are elided."""
    text = re.sub(r"((?:\d+, ?){5})(?:\d+, ?)+(\d+)", r"\1…, \2", text)
    text = re.sub(r"^SELECT (?:DISTINCT )?(\S+?), \S.{100,}? FROM ", r"SELECT \1, … FROM ", text, flags=re.S)
    return re.sub(r" GROUP BY (\S+?), \S.{100,}? (ORDER BY|HAVING|LIMIT)", r" GROUP BY \1, … \2", text, flags=re.S)


def machine() -> dict[str, str]:
    from django.db import connection

    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT sqlite_version()")
            db_version = f"SQLite {cur.fetchone()[0]}"
        else:
            cur.execute("SHOW server_version")
            db_version = f"PostgreSQL {cur.fetchone()[0]}"
    import django

    return {
        "uname": " ".join(platform.uname()),
        "cpu": f"{cpu} × {os.cpu_count()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "database": db_version,
        "commit": git_commit(),
    }


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(benchenv.ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            # The results files themselves do not count as a change to the code measured.
            [
                "git",
                "-C",
                str(benchenv.ROOT),
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ".",
                ":(exclude)bench/RESULTS.md",
                ":(exclude)bench/results.json",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def row_counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from dongthuan.organizations.models import Body, Organization, OrganizationKind, Position, Term
    from dongthuan.people.models import Person

    return {
        "organisations": Organization.objects.count(),
        "communes": Organization.objects.filter(kind=OrganizationKind.GRASSROOTS).count(),
        "cells": Organization.objects.filter(kind=OrganizationKind.CELL).count(),
        "people (party members)": Person.objects.count(),
        "bodies": Body.objects.count(),
        "terms": Term.objects.count(),
        "positions": Position.objects.count(),
        "accounts": get_user_model().objects.count(),
    }


def table(cases: list[Case]) -> list[str]:
    lines = [
        "| name | what | p50 ms | p95 ms | queries | budget ms (p95) | pass |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for c in cases:
        lines.append(
            f"| {c.name} | {c.what} | {c.p50:.1f} | {c.p95:.1f} | {len(c.queries)} | {BUDGET_MS:g} | "
            f"{'yes' if c.passed else '**NO**'} |"
        )
    return lines


def print_table(cases: list[Case]) -> None:
    width = max(len(c.name) for c in cases)
    print(f"\n{'name':<{width}}  {'p50 ms':>8}  {'p95 ms':>8}  {'queries':>7}  {'budget':>6}  pass  what")
    for c in cases:
        print(
            f"{c.name:<{width}}  {c.p50:>8.1f}  {c.p95:>8.1f}  {len(c.queries):>7}  {BUDGET_MS:>6g}  "
            f"{'yes ' if c.passed else 'NO  '}  {c.what}"
        )


def write_results(
    cases: list[Case], meta: dict[str, Any], reps: int, warmup: int, date: str, load: tuple[float, float]
) -> None:
    database = benchenv.vendor()
    info = machine()
    counts = row_counts()
    section = [
        f"<!-- section:{database} -->",
        f"## {info['database']}",
        "",
        f"- Date: {date}",
        f"- Scale: {meta['scale']:g} (generated {meta['generated_at']} in {meta['generation_seconds']:.1f} s)",
        f"- Machine: {info['uname']}",
        f"- CPU: {info['cpu']}",
        f"- Python {info['python']}, Django {info['django']}, SQLite library {info['sqlite']}",
        f"- Code: commit {info['commit']}",
        f"- Load average (1 min) before/after the timing: {load[0]:.2f}/{load[1]:.2f}",
        f"- Method: django.test.Client as the province secretary, DEBUG off; {warmup} warm-up then {reps} timed "
        "requests per page, taken in rounds over all pages; queries counted on one extra request.",
        "- Rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()),
        "",
        *table(cases),
        "",
    ]
    for c in cases:
        if c.slow:
            section += [f"### {c.name}: slowest queries (each re-run alone, median of 5)", "", "```"]
            section += ["\n\n".join(c.slow), "```", ""]
    section.append(f"<!-- /section:{database} -->")
    text = RESULTS_MD.read_text(encoding="utf-8") if RESULTS_MD.exists() else ""
    pattern = re.compile(rf"<!-- section:{database} -->.*?<!-- /section:{database} -->", re.S)
    block = "\n".join(section)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        if not text:
            text = (
                "# Benchmark: organisation tree and member lists\n\n"
                "Written by `scripts/bench` (bench/generate.py, then bench/run.py); one section per database.\n"
                f"Budget: p95 ≤ {BUDGET_MS:g} ms for every page.\n\n"
            )
        text = text.rstrip("\n") + "\n\n" + block
    RESULTS_MD.write_text(text.rstrip("\n") + "\n", encoding="utf-8")

    figures = json.loads(RESULTS_JSON.read_text(encoding="utf-8")) if RESULTS_JSON.exists() else []
    ours = {f"{c.name}.p95" for c in cases}  # other bench scripts keep their own figures in the same file
    figures = [f for f in figures if not (f.get("database") == database and f.get("name") in ours)]
    figures += [
        {
            "name": f"{c.name}.p95",
            "value": round(c.p95, 2),
            "unit": "ms",
            "budget": BUDGET_MS,
            "scale": meta["scale"],
            "database": database,
            "date": date,
        }
        for c in cases
    ]
    RESULTS_JSON.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")  # STATIC_ROOT not collected
    benchenv.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    assert not settings.DEBUG
    meta = benchenv.read_meta()
    if meta is None:
        sys.exit("No benchmark data in this database: run bench/generate.py first.")
    date = timezone.localtime().isoformat(timespec="seconds")
    cases = build_cases(meta)
    client = Client()
    benchenv.sign_in(client, "bench.province")
    print(f"Timing {len(cases)} pages on {benchenv.vendor()} at scale {meta['scale']:g} ({args.reps} requests each) …")
    load_before = os.getloadavg()
    measure(client, cases, args.reps, args.warmup)
    load = (load_before[0], os.getloadavg()[0])
    for case in cases:
        if not case.passed:
            explain(case)
    print_table(cases)
    print(f"\nLoad average (1 min) before/after: {load[0]:.2f}/{load[1]:.2f} on {os.cpu_count()} CPUs.")
    if max(load) > (os.cpu_count() or 1) / 2:
        print("The machine was busy with other work: the figures include that interference.")
    for case in cases:
        if case.slow:
            print(f"\n{case.name}: p95 {case.p95:.1f} ms > {BUDGET_MS:g} ms. Slowest queries (alone, median of 5):")
            print("\n\n".join(case.slow))
    if not args.no_write:
        write_results(cases, meta, args.reps, args.warmup, date, load)
        print(f"\nWrote {RESULTS_MD.relative_to(benchenv.ROOT)} and {RESULTS_JSON.relative_to(benchenv.ROOT)}.")


if __name__ == "__main__":
    main(sys.argv[1:])
