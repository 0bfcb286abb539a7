"""Loopback load test of a secret poll: 5,000 eligible voters cast their ballot through the HTTP endpoint with 50
concurrent clients, against gunicorn on the benchmark database (meant for PostgreSQL). Every ballot is encrypted
when cast (meetings/sealing.py). Budget: p95 ≤ 50 ms per vote and zero lost or duplicated ballots, asserted after
each pass. Three passes, then it stops by itself: paced (the votes offered at ``VOTE_BENCH_RATE`` a second, 80 by
default: everyone votes within about a minute) on a resolution (3 encrypted slots a ballot), the same on an election
from a list of 50 candidates for 40 seats (50 encrypted slots a ballot), and saturation (each client votes again as
soon as answered). Also measured: the cost of encrypting one ballot of 3, 50 and 150 slots, and of the count at
closing (summing the ballots and decrypting the sum).

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
CLIENTS = int(os.environ.get("VOTE_BENCH_CLIENTS", "50"))
PORT = 8765
BUDGET_MS = 50.0
WORKERS = os.environ.get("VOTE_BENCH_GUNICORN", "-w 4 --threads 4")
# The paced pass: the whole congress votes within about a minute (5,000 votes at 80 a second).
RATE = float(os.environ.get("VOTE_BENCH_RATE", "80"))


def build():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from dongthuan.accounts.middleware import DONE, SECOND_FACTOR_KEY
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
    cookies = []
    for user in users:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store[SECOND_FACTOR_KEY] = DONE  # delegates are members of a body: they signed in with their second factor
        store.create()
        cookies.append(store.session_key)
    return body, meeting, item, users, people, cookies


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


def cast_all(
    poll_id: int | None, cookies: list[str], rate: float = 0.0, body: str = "choice=approve"
) -> tuple[list[float], list[str], float]:
    """Every voter votes once, through ``CLIENTS`` connections. ``rate`` 0: each client sends its next vote as soon
    as the last is answered (saturation); otherwise votes are sent on a schedule of ``rate`` votes a second over
    all clients (voters arriving as in a hall), and latency counts from the send. ``poll_id`` None: the
    calibration — each voter's session asks the trivial view (``/healthz``) instead, through the same middleware."""
    work: queue.Queue[str] = queue.Queue()
    for c in cookies:
        work.put(c)
    latencies: list[float] = []
    problems: list[str] = []
    lock = threading.Lock()
    csrf = secrets.token_hex(16)

    began = time.perf_counter()

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        sent = 0
        while True:
            try:
                session = work.get_nowait()
            except queue.Empty:
                break
            if rate:  # this client's n-th vote is due at (n × CLIENTS + index) / rate
                due = began + (sent * CLIENTS + index) / rate
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                sent += 1
            headers = {
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
                "Host": "127.0.0.1",
                "HX-Request": "true",  # as the phone's page posts it (htmx): a one-line answer, no redirect
            }
            start = time.perf_counter()
            try:
                if poll_id is None:
                    conn.request("GET", "/healthz", headers=headers)
                else:
                    conn.request("POST", f"/meetings/polls/{poll_id}/vote/", body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
                status = (
                    response.status
                    if b"alert-success" in answer or (poll_id is None and response.status == 200)
                    else f"{response.status} refused: {answer[:300].decode(errors='replace')}"
                )
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                status = f"error {error}"
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    problems.append(str(status))
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
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
    body, meeting, item, users, people, cookies = build()
    from django.db import connection

    with connection.cursor() as cursor:  # autovacuum is off here: the planner learns what build() wrote
        cursor.execute("ANALYZE")
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_DEBUG": "0", "DATABASE_CONN_MAX_AGE": "60"}
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "dongthuan.wsgi", "-b", f"127.0.0.1:{PORT}", *WORKERS.split()],
        cwd=benchenv.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    runs = []
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        calibration = {}
        for name, rate in (("paced", RATE), ("saturation", 0.0)):
            latencies, problems, total = cast_all(None, cookies, rate)
            assert not problems, problems[:3]
            calibration[name] = {
                "per_s": VOTERS / total,
                "p50_ms": statistics.median(latencies),
                "p95_ms": statistics.quantiles(latencies, n=20)[-1],
            }
        print(json.dumps({"trivial view": calibration}, indent=2))
        candidates = people[:50]
        for name, rate, seats in (("paced", RATE, 0), ("paced_50_candidates", RATE, 40), ("saturation", 0.0, 0)):
            if seats:
                poll = services.poll_create(
                    actor=None, item=item, question=f"Bầu ({name})", kind="secret", method="candidates", seats=seats
                )
                for person in candidates:
                    services.candidate_add(actor=None, poll=poll, person=person)
                listed = list(poll.candidates.order_by("pk").values_list("pk", flat=True))
                body_text = "&".join(f"candidate={pk}" for pk in listed[:seats])  # the first 40 on the list
            else:
                poll = services.poll_create(actor=None, item=item, question=f"Bầu ({name})", kind="secret")
                body_text = "choice=approve"
            poll = services.poll_open(actor=None, poll=poll)
            latencies, problems, total = cast_all(poll.pk, cookies, rate, body_text)
            assert not problems, problems[:3]
            ballots = Ballot.objects.filter(poll=poll).count()
            marks = VoterMark.objects.filter(poll=poll).count()
            began = time.perf_counter()
            closed = services.poll_close(actor=None, poll=poll)
            count_s = time.perf_counter() - began
            if seats:
                votes = dict(closed.candidates.values_list("pk", "votes"))
                counted = all(votes[pk] == (VOTERS if i < seats else 0) for i, pk in enumerate(listed))
            else:
                counted = closed.approve == VOTERS
            figures = {
                "name": name,
                "rate": rate,
                "slots": len(closed.seal.slots),
                "voters": VOTERS,
                "total_s": total,
                "p50_ms": statistics.median(latencies),
                "p95_ms": statistics.quantiles(latencies, n=20)[-1],
                "ballots": ballots,
                "marks": marks,
                "count_s": count_s,
                "counted": counted,
                "problems": len(problems),
            }
            print(json.dumps(figures, indent=2))
            assert ballots == marks == VOTERS == closed.seal.ballots and counted, "lost or duplicated ballots"
            assert not problems, problems[:5]
            runs.append(figures)
    finally:
        server.terminate()
        server.wait(timeout=30)
        cleanup(body, meeting, users, people)
    write(runs, encryption_costs(), calibration)


def encryption_costs() -> dict[int, float]:
    """Milliseconds to encrypt one ballot of 3 (a resolution), 50 (an election's list) and 150 slots (a confidence
    vote on 50 people), median of 50 — the work a vote adds, whatever the choice."""
    from dongthuan.meetings import sealing

    public_key, _shares = sealing.split(2, 3)
    packing = sealing.packing_for(VOTERS)  # as the poll of the passes packs its slots
    costs = {}
    for slots in (3, 50, 150):
        times = []
        for _ in range(50):
            began = time.perf_counter()
            sealing.encrypt(public_key, [1] + [0] * (slots - 1), packing)
            times.append((time.perf_counter() - began) * 1000)
        costs[slots] = statistics.median(times)
    return costs


def write(runs: list[dict], costs: dict[int, float], calibration: dict[str, dict[str, float]]) -> None:
    import run

    database = benchenv.vendor()
    date = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7))).isoformat(timespec="seconds")
    info = run.machine()
    rows = []
    for f in runs:
        ok = "yes" if f["p95_ms"] <= BUDGET_MS and f["ballots"] == f["marks"] == f["voters"] else "**NO**"
        how = f"{f['rate']:.0f} votes/s offered" if f["rate"] else "as fast as answered"
        rows.append(
            f"| secret_poll_{f['name']} | {how} | {f['slots']} | {f['voters']:,} | {f['total_s']:.1f} | "
            f"{f['voters'] / f['total_s']:.0f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | {BUDGET_MS:.0f} | "
            f"{f['ballots']:,} | {f['marks']:,} | {f['count_s']:.2f} | {ok} |"
        )
    section = [
        f"<!-- section:votes-{database} -->",
        f"## Secret poll under load on {info['database']}",
        "",
        f"- Date: {date}; code: commit {info['commit']}; machine: {info['cpu']}",
        f"- Method: bench/vote_bench.py: {runs[0]['voters']:,} serving members present, one secret poll per pass; "
        f"{CLIENTS} concurrent HTTP clients (keep-alive) post one vote for each member, as the phone's page does "
        f"(htmx: a one-line answer), to gunicorn ({WORKERS}) on the same machine; after each pass ballots, voter "
        "marks and the count at closing are compared. *Paced*: votes are sent on a schedule (members arriving at "
        "the ballot over about a minute); latency counts from the scheduled send. *Saturation*: each client sends "
        "its next vote as soon as the last is answered, so latency is mostly waiting in the queue "
        "(≈ clients ÷ throughput).",
        "",
        "Every ballot is encrypted when cast under the poll's public key (exponential ElGamal on Ed25519 through "
        "libsodium; a slot for each of the three choices or each candidate, packed 13 bits a slot, two slots to a "
        "ciphertext for 5,000 voters); *count s* is the closing: "
        "summing the ballots slot by slot, decrypting the sums and recording the result.",
        "",
        "| name | load | slots | voters | total s | votes/s | p50 ms | p95 ms | budget p95 ms | ballots | voter marks "
        "| count s | pass |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
        "Calibration in the same run, the same clients and sessions asking the trivial view (`/healthz`, signed "
        f"in, no database beyond the session): paced p95 {calibration['paced']['p95_ms']:.1f} ms; saturation "
        f"{calibration['saturation']['per_s']:.0f} requests/s, p95 {calibration['saturation']['p95_ms']:.1f} ms. "
        "Encrypting one ballot in this process (median of 50): "
        + ", ".join(f"{n} slots {ms:.1f} ms" for n, ms in costs.items())
        + ".",
        "",
        f"<!-- /section:votes-{database} -->",
    ]
    text = run.RESULTS_MD.read_text(encoding="utf-8") if run.RESULTS_MD.exists() else ""
    pattern = re.compile(rf"<!-- section:votes-{database} -->.*?<!-- /section:votes-{database} -->", re.S)
    block = "\n".join(section)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    run.RESULTS_MD.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    data = json.loads(run.RESULTS_JSON.read_text(encoding="utf-8")) if run.RESULTS_JSON.exists() else []
    names = {f"secret_poll_{f['name']}.p95_ms" for f in runs} | {"secret_poll_load.p95_ms"}
    data = [x for x in data if not (x.get("database") == database and x.get("name") in names)]
    for f in runs:
        data.append(
            {
                "name": f"secret_poll_{f['name']}.p95_ms",
                "value": round(f["p95_ms"], 1),
                "unit": "ms",
                "budget": BUDGET_MS,
                "scale": f"{f['voters']} voters, {CLIENTS} clients"
                + (f", {f['rate']:.0f} votes/s offered" if f["rate"] else ", closed loop"),
                "votes_per_s": round(f["voters"] / f["total_s"], 1),
                "total_s": round(f["total_s"], 2),
                "lost_or_duplicated": f["voters"] - f["ballots"],
                "slots": f["slots"],
                "trivial_view_per_s": round(calibration["saturation"]["per_s"], 1),
                "trivial_view_paced_p95_ms": round(calibration["paced"]["p95_ms"], 1),
                "count_s": round(f["count_s"], 2),
                "database": database,
                "date": date,
            }
        )
    run.RESULTS_JSON.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
