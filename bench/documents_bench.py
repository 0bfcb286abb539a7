"""Documents and consultation at province scale: a library of 50,000 issued documents searched through the page
(budget p95 ≤ 30 ms on SQLite), a consultation with 10,000 opinions whose synthesis pages are read (p95 ≤ 50 ms,
paginated), and its register exported to Word and Excel (≤ 5 s each).

Runs on the benchmark database (bench/generate.py first) inside a transaction that is rolled back, so the generated
data stays as it was. Writes its section of bench/RESULTS.md and its figures in bench/results.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402

DOCUMENTS = int(os.environ.get("DOCUMENTS_BENCH_DOCUMENTS", "50000"))
OPINIONS = int(os.environ.get("DOCUMENTS_BENCH_OPINIONS", "10000"))
SEARCH_BUDGET_MS = 30.0
PAGE_BUDGET_MS = 50.0
EXPORT_BUDGET_S = 5.0
REPS = 12

VOCABULARY = (
    "đổi mới phương thức lãnh đạo của Đảng xây dựng hệ thống chính trị cơ sở nâng cao năng lực sức chiến "
    "đấu tổ chức đảng đảng viên cán bộ phát triển kinh tế xã hội nông thôn mới quốc phòng an ninh trật tự "
    "an toàn giao thông y tế giáo dục văn hóa môi trường đất đai tài chính ngân sách dân vận mặt trận "
    "đoàn thể thanh niên phụ nữ nông dân cựu chiến binh kiểm tra giám sát kỷ luật tuyên truyền quán triệt "
    "nghị quyết chỉ thị kế hoạch chương trình hành động chỉ tiêu nhiệm vụ giải pháp tổ chức thực hiện báo "
    "cáo sơ kết tổng kết năm"
)
WORDS = VOCABULARY.split()
QUERIES = [
    "doi moi phuong thuc",
    "nong thon moi",
    "quoc phong an ninh",
    "can bo dang vien",
    "ngan sach",
    "kiem tra giam sat",
    "thanh nien",
    "chuong trinh hanh dong",
]
OPINION_TEMPLATES = [
    "Đề nghị bổ sung chỉ tiêu về {a} trong giai đoạn tới.",
    "Cần làm rõ trách nhiệm của người đứng đầu về {a}.",
    "Nhất trí với dự thảo; đề nghị nhấn mạnh {a}.",
    "Đề nghị rà soát lại giải pháp về {a} cho phù hợp thực tế cơ sở.",
    "Cần có lộ trình cụ thể thực hiện {a} ở các chi bộ thôn.",
]


class Rollback(Exception):
    pass


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def build_library(rng: random.Random) -> None:
    from django.db import connection

    from dongthuan.core.text import fold
    from dongthuan.documents.models import Document, DocumentType, Version
    from dongthuan.organizations.models import Organization

    issuers = list(Organization.objects.filter(kind__in=["party", "grassroots"]).order_by("pk")[:160])
    types = list(DocumentType.objects.all())
    per_issuer: dict[tuple[int, str], int] = {}
    documents, versions = [], []
    for _i in range(DOCUMENTS):
        issuer, kind = rng.choice(issuers), rng.choice(types)
        n = per_issuer[(issuer.pk, kind.abbreviation)] = per_issuer.get((issuer.pk, kind.abbreviation), 0) + 1
        title = f"về {' '.join(rng.choice(WORDS) for _ in range(8))}"
        sections = [
            {"key": f"s{j}", "heading": f"{j + 1}. {sentence(rng, 4)}", "text": sentence(rng, 60)} for j in range(4)
        ]
        symbol = f"{n:02d}-{kind.abbreviation}/{issuer.doc_code or 'ĐU'}"
        text = " ".join([symbol, kind.name, title] + [f"{s['heading']} {s['text']}" for s in sections])
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(4000))
        documents.append(
            Document(
                organization=issuer,
                doc_type=kind,
                title=title,
                status="issued",
                number=n,
                symbol=symbol,
                issued_on=day,
                place="Bình Xuyên",
                signer_title="Bí thư",
                search_text=fold(text),
            )
        )
        versions.append(sections)
    Document.objects.bulk_create(documents, batch_size=2000)
    Version.objects.bulk_create(
        [Version(document=d, number=1, sections=s) for d, s in zip(documents, versions, strict=True)], batch_size=2000
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_document SET issued_version_id = "
            "(SELECT v.id FROM documents_version v WHERE v.document_id = documents_document.id) "
            "WHERE issued_version_id IS NULL AND status = 'issued'"
        )


def build_consultation(rng: random.Random):
    from dongthuan.consultations.models import Opinion
    from dongthuan.consultations.selectors import SIMILAR, _shingles
    from dongthuan.consultations.services import round_open
    from dongthuan.documents.models import DocumentType
    from dongthuan.documents.services import document_create
    from dongthuan.organizations.models import Organization
    from dongthuan.people.models import Person

    province = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    sections = [{"heading": f"Điều {j + 1}.", "text": sentence(rng, 40)} for j in range(8)]
    draft = document_create(
        actor=None,
        organization=province,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title="về đổi mới phương thức lãnh đạo (thử tải)",
        sections=sections,
    )
    today = dt.date.today()
    consultation = round_open(
        actor=None,
        document=draft,
        opens_on=today,
        closes_on=today + dt.timedelta(days=15),
        audiences=[("members", province)],
    )
    keys = [""] + [s["key"] for s in consultation.version.sections]
    people = list(Person.objects.filter(party_status="full").values_list("pk", flat=True)[:OPINIONS])
    roots: dict[str, list[tuple[int, frozenset[str]]]] = {k: [] for k in keys}
    opinions = []
    for i in range(OPINIONS):
        key = rng.choice(keys)
        text = rng.choice(OPINION_TEMPLATES).format(a=" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6))))
        opinions.append(
            Opinion(
                round=consultation, section_key=key, person_id=people[i % len(people)], audience="members", text=text
            )
        )
    Opinion.objects.bulk_create(opinions, batch_size=2000)
    # Groups as opinion_give makes them, one opinion at a time.
    saved = list(Opinion.objects.filter(round=consultation).order_by("id").values_list("id", "section_key", "text"))
    groups = []
    for pk, key, text in saved:
        shingles = _shingles(text)
        group = next(
            (root for root, other in roots[key] if len(shingles & other) / len(shingles | other) >= SIMILAR), None
        )
        if group is None:
            roots[key].append((pk, shingles))
            group = pk
        groups.append(Opinion(pk=pk, group=group))
    Opinion.objects.bulk_update(groups, ["group"], batch_size=2000)
    return consultation


def timed_gets(client, urls: list[str]) -> list[float]:
    for url in urls:  # warm up
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"GET {url} answered {response.status_code}")
    times = []
    for _ in range(REPS):
        for url in urls:
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    benchenv.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    if benchenv.read_meta() is None:
        sys.exit("No benchmark data: run bench/generate.py first (scripts/bench does).")
    rng = random.Random(11)  # noqa: S311
    figures: dict[str, float] = {}
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench.province"))
    try:
        with transaction.atomic():
            started = time.perf_counter()
            build_library(rng)
            print(f"library of {DOCUMENTS:,} documents built in {time.perf_counter() - started:.1f} s")
            search = timed_gets(client, [f"/documents/?q={q.replace(' ', '+')}" for q in QUERIES])
            figures["library_search_p95_ms"] = statistics.quantiles(search, n=20)[-1]
            figures["library_search_p50_ms"] = statistics.median(search)
            browse = timed_gets(client, ["/documents/", "/documents/?page=50", "/documents/?year=2020"])
            figures["library_browse_p95_ms"] = statistics.quantiles(browse, n=20)[-1]

            started = time.perf_counter()
            consultation = build_consultation(rng)
            print(f"consultation with {OPINIONS:,} opinions built in {time.perf_counter() - started:.1f} s")
            keys = [s["key"] for s in consultation.version.sections]
            pages = [f"/consultations/{consultation.pk}/?section={k}&page={p}" for k in keys[:4] for p in (1, 10)]
            opinion_pages = timed_gets(client, pages)
            figures["opinions_page_p95_ms"] = statistics.quantiles(opinion_pages, n=20)[-1]
            for fmt in ("docx", "xlsx"):
                started = time.perf_counter()
                response = client.get(f"/consultations/{consultation.pk}/register.{fmt}")
                figures[f"register_{fmt}_s"] = time.perf_counter() - started
                assert response.status_code == 200 and len(response.content) > 10_000
            raise Rollback
    except Rollback:
        pass
    write(figures)


ROWS = [
    ("library_search_p95_ms", "library: full-text search, 8 queries, p95", "ms", SEARCH_BUDGET_MS),
    ("library_search_p50_ms", "library: full-text search, p50", "ms", None),
    ("library_browse_p95_ms", "library: newest first, a late page, a year, p95", "ms", None),
    ("opinions_page_p95_ms", "consultation: a section's opinions, page 1 and 10, p95", "ms", PAGE_BUDGET_MS),
    ("register_docx_s", "register of all opinions as Word", "s", EXPORT_BUDGET_S),
    ("register_xlsx_s", "register of all opinions as Excel", "s", EXPORT_BUDGET_S),
]


def write(figures: dict[str, float]) -> None:
    import run

    database = benchenv.vendor()
    date = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat(timespec="seconds")
    print(f"\n{'name':<26}{'value':>10}  budget  pass  what")
    lines = ["| name | what | value | budget | pass |", "|---|---|---:|---:|---|"]
    for name, what, unit, budget in ROWS:
        ok = "yes" if budget is None or figures[name] <= budget else "**NO**"
        shown = f"{figures[name]:.1f} {unit}" if unit == "ms" else f"{figures[name]:.2f} {unit}"
        print(f"{name:<26}{shown:>10}  {budget or '—':>6}  {ok:<4}  {what}")
        lines.append(f"| {name} | {what} | {shown} | {f'{budget:g} {unit}' if budget else '—'} | {ok} |")
    info = run.machine()
    section = [
        f"<!-- section:documents-{database} -->",
        f"## Documents and consultation on {info['database']}",
        "",
        f"- Date: {date}; code: commit {info['commit']}; machine: {info['cpu']}",
        f"- Method: bench/documents_bench.py adds {DOCUMENTS:,} issued documents (4 sections of text each) and a "
        f"consultation with {OPINIONS:,} opinions to the benchmark database, requests the pages through Django's "
        f"test client as the province secretary ({REPS} rounds after a warm-up), exports the register, then rolls "
        "everything back.",
        "",
        *lines,
        "",
        f"<!-- /section:documents-{database} -->",
    ]
    text = run.RESULTS_MD.read_text(encoding="utf-8") if run.RESULTS_MD.exists() else ""
    pattern = re.compile(rf"<!-- section:documents-{database} -->.*?<!-- /section:documents-{database} -->", re.S)
    block = "\n".join(section)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    run.RESULTS_MD.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    data = json.loads(run.RESULTS_JSON.read_text(encoding="utf-8")) if run.RESULTS_JSON.exists() else []
    names = {f"documents.{n}" for n, *_rest in ROWS}
    data = [x for x in data if not (x.get("database") == database and x.get("name") in names)]
    for name, _what, unit, budget in ROWS:
        data.append(
            {
                "name": f"documents.{name}",
                "value": round(figures[name], 3),
                "unit": unit,
                "budget": budget,
                "scale": f"{DOCUMENTS} documents, {OPINIONS} opinions",
                "database": database,
                "date": date,
            }
        )
    run.RESULTS_JSON.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
