"""The public portal under load: requests per second of its article and list pages against a trivial Django view
(``/healthz``: the same middleware, no database, no template), served by the same gunicorn on the same machine in
the same run. Budget: every public page serves at least 50% of the trivial view's requests per second.

The portal holds 20,000 published articles (a province's portal over years: its communes' news in five sections,
with tags and 60,000 published comments), added to the benchmark database once and kept. gunicorn runs with
production settings (DEBUG off, 2 sync workers on this 2-core machine); wrk (Debian's package; installed if
missing) keeps a bounded load of 8 connections on one thread for 10 seconds per URL set, rotating over many
addresses (200 articles; sections and tags at pages 1 to 5), after a warm-up that requests each address six times
(so that each worker has most likely rendered it once): the page cache serves them as it serves visitors (a page
rendered once, then served from the cache until something it shows changes). The trivial view is measured
before and after the pages; their mean is the baseline.

Usage: bench/portal_bench.py [--articles 20000] [--seconds 10] [--connections 8]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402

RATIO_BUDGET = 0.5
MARK = "(dữ liệu thử tải)"
PHRASES = [
    "Đảng ủy xã tổ chức hội nghị quán triệt nghị quyết của Ban Chấp hành Đảng bộ tỉnh",
    "các chi bộ thôn tập trung lãnh đạo phát triển kinh tế - xã hội, xây dựng nông thôn mới",
    "Mặt trận Tổ quốc và các đoàn thể vận động nhân dân tham gia giữ gìn an ninh trật tự",
    "Hội Nông dân xã phối hợp mở lớp tập huấn kỹ thuật trồng trọt, chăn nuôi cho hội viên",
    "đoàn viên thanh niên ra quân làm sạch đường làng, ngõ xóm, hưởng ứng ngày chủ nhật xanh",
    "Ủy ban Kiểm tra Đảng ủy kiểm tra việc thực hiện nhiệm vụ của các tổ chức cơ sở đảng",
    "nhân dân đóng góp ngày công, kinh phí xây dựng nhà văn hóa thôn và đường giao thông nội đồng",
    "cấp ủy lắng nghe ý kiến của cán bộ, đảng viên và nhân dân trước khi ban hành nghị quyết",
]
TAGS = ["nông thôn mới", "dân vận", "an ninh trật tự", "xây dựng Đảng", "chuyển đổi số", "văn hóa", "y tế", "giáo dục"]


def build(n_articles: int, rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from dongthuan.core.text import fold
    from dongthuan.organizations.models import Organization
    from dongthuan.portal.models import Article, Comment, Section, Tag

    communes = list(Organization.objects.filter(kind="grassroots").order_by("pk")[:150])
    sections = list(Section.objects.all())
    now = timezone.now()
    with transaction.atomic():
        tags = [Tag.objects.get_or_create(slug=slugify(fold(n)), defaults={"name": n})[0] for n in TAGS]
        batch = []
        for n in range(n_articles):
            commune = communes[n % len(communes)]
            title = f"{rng.choice(PHRASES).capitalize()} ({commune.name}) {MARK} {n}"
            lead = " ".join(rng.sample(PHRASES, 2)).capitalize() + "."
            paragraphs = [" ".join(rng.sample(PHRASES, 4)).capitalize() + "." for _ in range(8)]
            body = "\n\n".join(f"<p>{p}</p>" for p in paragraphs)
            at = now - dt.timedelta(hours=n * 3)
            batch.append(
                Article(
                    organization=commune,
                    section=sections[n % len(sections)],
                    title=title,
                    slug=slugify(fold(title))[:120],
                    lead=lead,
                    body=body,
                    author="Văn phòng Đảng ủy",
                    status="published",
                    published_at=at,
                    created_at=at,
                    updated_at=at,
                    search_text=fold(f"{title} {lead} {' '.join(paragraphs)}"),
                )
            )
        Article.objects.bulk_create(batch, batch_size=2000)
        articles = list(Article.objects.filter(title__contains=MARK).values_list("pk", flat=True))
        through = Article.tags.through
        through.objects.bulk_create(
            [through(article_id=a, tag_id=t.pk) for a in articles for t in rng.sample(tags, 2)], batch_size=5000
        )
        comments = []
        for a in articles:
            for k in range(3):
                comments.append(
                    Comment(
                        article_id=a,
                        name="Người dân",
                        email=f"dan{k}@example.vn",
                        text=rng.choice(PHRASES).capitalize() + ".",
                        status="published",
                        created_at=now,
                    )
                )
        Comment.objects.bulk_create(comments, batch_size=5000)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found is None and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)  # noqa: S607
        found = shutil.which("wrk")
    if found is None:
        sys.exit("wrk is needed (Debian package 'wrk').")
    return found


def rotation_script(paths: list[str]) -> str:
    """A wrk Lua script requesting ``paths`` in turn."""
    listed = ",".join(json.dumps(p) for p in paths)
    return (
        f"local paths = {{{listed}}}\nlocal i = 0\n"
        "request = function()\n  i = (i % #paths) + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )


def run_wrk(wrk: str, port: int, paths: list[str], seconds: int, connections: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(rotation_script(paths))
    out = subprocess.run(  # noqa: S603
        [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, f"http://127.0.0.1:{port}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "rps": rps,
        "non_2xx": float(errors.group(1)) if errors else 0.0,
        "p99_ms": float(p99.group(1)) * scale[p99.group(2)] if p99 else 0.0,
    }


def warm(port: int, paths: list[str], rounds: int = 6) -> None:
    """Request every address several times, so that each worker has most likely rendered it once."""
    import urllib.request

    for _ in range(rounds):
        for path in paths:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:  # noqa: S310
                response.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    benchenv.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from dongthuan.portal.models import Article, Section, Tag

    rng = random.Random(2017)
    if not Article.objects.filter(title__contains=MARK).exists():
        started = time.perf_counter()
        build(args.articles, rng)
        print(f"built {args.articles:,} articles in {time.perf_counter() - started:.1f} s")
    n_articles = Article.objects.filter(status="published").count()
    sample = list(Article.objects.filter(status="published").order_by("?").values_list("pk", "slug")[:200])
    sections = list(Section.objects.values_list("slug", flat=True))
    tags = list(Tag.objects.values_list("slug", flat=True)[:8])
    groups = {
        "home": ["/portal/"],
        "article": [f"/portal/bai-viet/{pk}-{slug}/" for pk, slug in sample],
        "section": [f"/portal/chuyen-muc/{s}/?page={p}" for s in sections for p in range(1, 6)],
        "tag": [f"/portal/tu-khoa/{t}/?page={p}" for t in tags for p in range(1, 6)],
    }
    wrk = ensure_wrk()
    port = free_port()
    env = dict(
        os.environ,
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="dongthuan.settings",
    )
    server = subprocess.Popen(  # noqa: S603
        [
            str(benchenv.ROOT / ".venv" / "bin" / "gunicorn"),
            "dongthuan.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=benchenv.ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        # Warm up every worker on every group (imports, connections, the cache of the pages).
        for paths in [["/healthz"], *groups.values()]:
            warm(port, paths)
        figures: dict[str, dict[str, float]] = {
            "trivial_before": run_wrk(wrk, port, ["/healthz"], args.seconds, args.connections)
        }
        for name, paths in groups.items():
            figures[name] = run_wrk(wrk, port, paths, args.seconds, args.connections)
        figures["trivial_after"] = run_wrk(wrk, port, ["/healthz"], args.seconds, args.connections)
    finally:
        server.terminate()
        server.wait(timeout=10)
    baseline = (figures["trivial_before"]["rps"] + figures["trivial_after"]["rps"]) / 2
    write(figures, baseline, n_articles, args)


ROWS = [
    ("home", "portal home page"),
    ("article", "an article page (200 articles in turn), with its comments and form"),
    ("section", "a section's list, pages 1 to 5 of each section"),
    ("tag", "a tag's list, pages 1 to 5 of 8 tags"),
]


def write(figures: dict[str, dict[str, float]], baseline: float, n_articles: int, args: argparse.Namespace) -> None:
    import run

    database = benchenv.vendor()
    date = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat(timespec="seconds")
    before, after = figures["trivial_before"]["rps"], figures["trivial_after"]["rps"]
    print(f"\ntrivial view: {before:.0f} / {after:.0f} req/s (before / after), baseline {baseline:.0f}")
    lines = [
        "| name | what | req/s | share of the trivial view | p99 ms | errors | budget | pass |",
        "|---|---|---:|---:|---:|---:|---:|---|",
        f"| trivial | `/healthz` (before / after) | {before:.0f} / {after:.0f} | 100% | "
        f"{figures['trivial_before']['p99_ms']:.1f} | {figures['trivial_before']['non_2xx']:.0f} | — | — |",
    ]
    results = []
    for name, what in ROWS:
        f = figures[name]
        share = f["rps"] / baseline
        ok = "yes" if share >= RATIO_BUDGET and f["non_2xx"] == 0 else "**NO**"
        print(
            f"{name:<10}{f['rps']:>8.0f} req/s  {share:>5.0%}  p99 {f['p99_ms']:.1f} ms  errors {f['non_2xx']:.0f}  {ok}"
        )
        lines.append(
            f"| {name} | {what} | {f['rps']:.0f} | {share:.0%} | {f['p99_ms']:.1f} | {f['non_2xx']:.0f} | ≥ 50% | {ok} |"
        )
        results.append((name, share, f["rps"]))
    info = run.machine()
    section = [
        f"<!-- section:portal-{database} -->",
        f"## Public portal under load on {info['database']}",
        "",
        f"- Date: {date}; code: commit {info['commit']}; machine: {info['cpu']}",
        f"- Method: bench/portal_bench.py; {n_articles:,} published articles; gunicorn (2 sync workers, DEBUG off) "
        f"and wrk (1 thread, {args.connections} connections, {args.seconds} s per set of addresses, after a "
        "warm-up that requests each address six times) on the same machine. The baseline is the trivial view "
        "`/healthz` (the same middleware, no database, no template), measured before and after the pages; its mean is "
        f"{baseline:.0f} req/s. Visitors are served whole pages from the cache (portal/cache.py); a page is "
        "rendered on its first request in each worker and whenever what it shows changes.",
        "",
        *lines,
        "",
        f"<!-- /section:portal-{database} -->",
    ]
    text = run.RESULTS_MD.read_text(encoding="utf-8") if run.RESULTS_MD.exists() else ""
    pattern = re.compile(rf"<!-- section:portal-{database} -->.*?<!-- /section:portal-{database} -->", re.S)
    block = "\n".join(section)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    run.RESULTS_MD.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    data = json.loads(run.RESULTS_JSON.read_text(encoding="utf-8")) if run.RESULTS_JSON.exists() else []
    names = {f"portal.{n}_share" for n, _w in ROWS} | {"portal.trivial_rps"}
    data = [x for x in data if not (x.get("database") == database and x.get("name") in names)]
    scale = f"{n_articles} articles"
    data.append(
        {
            "name": "portal.trivial_rps",
            "value": round(baseline, 1),
            "unit": "req/s",
            "budget": None,
            "scale": scale,
            "database": database,
            "date": date,
        }
    )
    for name, share, _rps in results:
        data.append(
            {
                "name": f"portal.{name}_share",
                "value": round(share, 3),
                "unit": "ratio",
                "budget": RATIO_BUDGET,
                "scale": scale,
                "database": database,
                "date": date,
            }
        )
    run.RESULTS_JSON.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
