"""Loopback load test of a secret poll: 5,000 eligible voters cast their ballot through the HTTP endpoint with 50
concurrent clients, against gunicorn on the benchmark database (meant for PostgreSQL). Budget: p95 ≤ 50 ms per
vote and zero lost or duplicated ballots, asserted after the run. Bounded: it stops by itself after one pass.

Builds its own congress body, voters, accounts and sessions in the benchmark database, and removes them at the end
(audit rows stay: they are append-only). Writes its section of bench/RESULTS.md and its figures in results.json.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import queue
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402

VOTERS = int(os.environ.get("VOTE_BENCH_VOTERS", "5000"))
CLIENTS = 50
PORT = 8765
BUDGET_MS = 50.0


def build():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from dongthuan.core.bulk import insert_many, new_instance
    from dongthuan.meetings import services
    from dongthuan.meetings.models import Attendance
    from dongthuan.organizations.models import Body, Organization, Position, PositionTitle
    from dongthuan.people.models import Person

    leftovers = Body.objects.filter(name="Đại hội đại biểu (thử tải)")
    for old in leftovers:  # from an interrupted run
        from dongthuan.meetings.models import Meeting

        for m in Meeting.objects.filter(body=old):
            cleanup(old, m, [], list(Person.objects.filter(account__username__startswith="vote-bench-")))
    get_user_model().objects.filter(username__startswith="vote-bench-").delete()
    province = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    body = Body.objects.create(organization=province, kind="committee", name="Đại hội đại biểu (thử tải)")
    now = timezone.now()
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"vote-bench-{i}", password=make_password(None)) for i in range(VOTERS)],
        batch_size=2000,
    )
    people = [
        new_instance(
            Person,
            {
                "full_name": f"Đại biểu {i}",
                "search_name": f"dai bieu {i}",
                "sort_key": f"{i} dai bieu {i}",
                "account_id": users[i].pk,
                "created_at": now,
                "updated_at": now,
            },
        )
        for i in range(VOTERS)
    ]
    insert_many(Person, people)
    Position.objects.bulk_create(
        [
            Position(person=p, organization=province, body=body, title=PositionTitle.MEMBER, start=dt.date(2025, 1, 1))
            for p in people
        ],
        batch_size=2000,
    )
    meeting = services.meeting_create(actor=None, body=body, title="Đại hội (thử tải)", starts_at=now)
    Attendance.objects.filter(meeting=meeting).update(status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Bầu Ban Chấp hành", kind="election")
    poll = services.poll_open(
        actor=None, poll=services.poll_create(actor=None, item=item, question="Bầu", kind="secret")
    )
    cookies = []
    for user in users:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        cookies.append(store.session_key)
    return body, meeting, poll, users, people, cookies


def cleanup(body, meeting, users, people) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from dongthuan.organizations.models import Position
    from dongthuan.people.models import Person

    meeting.delete()
    Position.objects.filter(body=body).delete()
    body.delete()
    Person.objects.filter(pk__in=[p.pk for p in people]).delete()
    Session.objects.all().delete()
    get_user_model().objects.filter(username__startswith="vote-bench-").delete()


def cast_all(poll_id: int, cookies: list[str]) -> tuple[list[float], list[str], float]:
    work: queue.Queue[str] = queue.Queue()
    for c in cookies:
        work.put(c)
    latencies: list[float] = []
    problems: list[str] = []
    lock = threading.Lock()
    csrf = secrets.token_hex(16)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while True:
            try:
                session = work.get_nowait()
            except queue.Empty:
                break
            body = "choice=approve"
            headers = {
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
                "Host": "127.0.0.1",
            }
            start = time.perf_counter()
            try:
                conn.request("POST", f"/meetings/polls/{poll_id}/vote/", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                status = f"error {error}"
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 302:
                    problems.append(str(status))
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, problems, time.perf_counter() - began


def main() -> None:
    benchenv.setup()
    from dongthuan.meetings import services
    from dongthuan.meetings.models import Ballot, VoterMark

    if benchenv.read_meta() is None:
        sys.exit("No benchmark data: run bench/generate.py first (scripts/bench does).")
    if benchenv.vendor() != "postgresql" and not os.environ.get("VOTE_BENCH_ANY_DATABASE"):
        print(
            "vote_bench: the load test is specified for PostgreSQL (DATABASE_URL=postgres://…/dongthuan_bench); skipped."
        )
        return
    body, meeting, poll, users, people, cookies = build()
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_DEBUG": "0", "DATABASE_CONN_MAX_AGE": "60"}
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "dongthuan.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "4", "--threads", "4"],
        cwd=benchenv.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        latencies, problems, total = cast_all(poll.pk, cookies)
    finally:
        server.terminate()
        server.wait(timeout=30)
    try:
        ballots = Ballot.objects.filter(poll=poll).count()
        marks = VoterMark.objects.filter(poll=poll).count()
        closed = services.poll_close(actor=None, poll=poll)
        figures = {
            "voters": VOTERS,
            "total_s": total,
            "p50_ms": statistics.median(latencies),
            "p95_ms": statistics.quantiles(latencies, n=20)[-1],
            "ballots": ballots,
            "marks": marks,
            "approve": closed.approve,
            "problems": len(problems),
        }
        print(json.dumps(figures, indent=2))
        assert ballots == marks == VOTERS == closed.approve, "lost or duplicated ballots"
        assert not problems, problems[:5]
    finally:
        cleanup(body, meeting, users, people)
    write(figures)


def write(f: dict) -> None:
    import run

    database = benchenv.vendor()
    date = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat(timespec="seconds")
    ok = "yes" if f["p95_ms"] <= BUDGET_MS and f["ballots"] == f["marks"] == f["voters"] else "**NO**"
    info = run.machine()
    section = [
        f"<!-- section:votes-{database} -->",
        f"## Secret poll under load on {info['database']}",
        "",
        f"- Date: {date}; code: commit {info['commit']}; machine: {info['cpu']}",
        f"- Method: bench/vote_bench.py: {f['voters']:,} serving members present, one secret poll; {CLIENTS} "
        "concurrent HTTP clients (keep-alive) post one vote each to gunicorn (4 workers × 4 threads) on the same "
        "machine; afterwards ballots, voter marks and the count at closing are compared.",
        "",
        "| name | voters | total s | p50 ms | p95 ms | budget p95 ms | ballots | voter marks | pass |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| secret_poll_load | {f['voters']:,} | {f['total_s']:.1f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | "
        f"{BUDGET_MS:.0f} | {f['ballots']:,} | {f['marks']:,} | {ok} |",
        "",
        f"<!-- /section:votes-{database} -->",
    ]
    text = run.RESULTS_MD.read_text(encoding="utf-8") if run.RESULTS_MD.exists() else ""
    pattern = re.compile(rf"<!-- section:votes-{database} -->.*?<!-- /section:votes-{database} -->", re.S)
    block = "\n".join(section)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    run.RESULTS_MD.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    data = json.loads(run.RESULTS_JSON.read_text(encoding="utf-8")) if run.RESULTS_JSON.exists() else []
    data = [x for x in data if not (x.get("database") == database and x.get("name") == "secret_poll_load.p95_ms")]
    data.append(
        {
            "name": "secret_poll_load.p95_ms",
            "value": round(f["p95_ms"], 1),
            "unit": "ms",
            "budget": BUDGET_MS,
            "voters": f["voters"],
            "total_s": round(f["total_s"], 2),
            "lost_or_duplicated": f["voters"] - f["ballots"],
            "database": database,
            "date": date,
        }
    )
    run.RESULTS_JSON.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
