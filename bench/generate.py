"""Generate the synthetic province for the organisation-tree and member-list benchmark.

Scale 1.0 is one province after the 2025 two-level reform: 150 communes (grassroots party organisations at
commune level, directly under the province), 20 cells in each (3,000 cells) and 200,000 party members, plus
each commune's term, committee bodies and posts, a cell committee with a secretary in every cell, and two
accounts: the province secretary (``bench.province``) and a commune secretary (``bench.commune``).

Rows are written with ``bulk_create`` (benchmark data, no audit trail); the tree's ``path``/``depth`` are
computed exactly as ``organizations.services._set_path`` does. Names are fictional (``core.demo_names``).

Usage: bench/generate.py [--scale 1.0] [--seed 2025] [--force]
A database already holding the same data set (scale, seed, generator version) is left as it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys
import time
from pathlib import Path
from typing import Any

import benchenv

GENERATOR_VERSION = 3  # 3: dated parent links (organizations.ParentLink)
COMMUNES_AT_SCALE_1 = 150
CELLS_PER_COMMUNE = 20
MEMBERS_AT_SCALE_1 = 200_000
PROBATIONARY_SHARE = 0.07
PROVINCE_NAME = "Đảng bộ tỉnh An Hòa"  # fictional
REFORM_DAY = dt.date(2025, 7, 1)  # communes of the two-level structure start work
BATCH = 5_000

PLACE_SYLLABLES = [
    "An",
    "Bình",
    "Hòa",
    "Phú",
    "Tân",
    "Thạnh",
    "Long",
    "Mỹ",
    "Phước",
    "Trung",
    "Đông",
    "Tây",
    "Hưng",
    "Lợi",
    "Thuận",
    "Quang",
    "Vĩnh",
    "Xuân",
    "Hải",
    "Sơn",
    "Thanh",
    "Minh",
    "Đức",
    "Hiệp",
    "Nghĩa",
    "Lộc",
    "Thịnh",
    "Khánh",
    "Định",
    "Yên",
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 150 communes, 3,000 cells, 200,000 members")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--force", action="store_true", help="regenerate even if the same data set is present")
    args = parser.parse_args(argv)
    if args.scale < 0.001:
        parser.error("--scale must be at least 0.001")
    return args


# --- the database ---------------------------------------------------------------------------------------------


def ensure_postgres_database() -> None:
    """Create the PostgreSQL database named in DATABASE_URL if the server does not have it yet."""
    import psycopg
    from django.db import connection

    params = connection.settings_dict
    try:
        connection.ensure_connection()
        return
    except Exception as error:  # noqa: BLE001 - only "does not exist" is handled, anything else is re-raised
        if "does not exist" not in str(error):
            raise
    connection.close()
    kwargs = {"dbname": "postgres", "user": params["USER"], "host": params["HOST"] or None}
    if params.get("PORT"):
        kwargs["port"] = params["PORT"]
    if params.get("PASSWORD"):
        kwargs["password"] = params["PASSWORD"]
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{params["NAME"]}"')
    print(f"Created PostgreSQL database {params['NAME']}.")


def reset_database() -> None:
    """Throw away whatever the benchmark database holds (it is ours: its name contains "bench")."""
    from django.db import connection

    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE")
            cur.execute("CREATE SCHEMA public")


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# --- the data -------------------------------------------------------------------------------------------------


def commune_names(rng: random.Random, n: int) -> list[str]:
    pairs = [f"{a} {b}" for a, b in itertools.permutations(PLACE_SYLLABLES, 2)]
    rng.shuffle(pairs)
    return [pairs[i % len(pairs)] + (f" {i // len(pairs) + 1}" if i >= len(pairs) else "") for i in range(n)]


def cell_names(place: str, short: str, is_ward: bool) -> list[str]:
    hamlet = "tổ dân phố" if is_ward else "thôn"
    names = [f"Chi bộ {hamlet} số {k}" for k in range(1, CELLS_PER_COMMUNE - 3)]
    names += [
        f"Chi bộ Trường THCS {short}",
        f"Chi bộ Trường Tiểu học {short}",
        f"Chi bộ Quân sự {place}",
        f"Chi bộ Công an {place}",
    ]
    return names[:CELLS_PER_COMMUNE]


def org_row(name: str, kind: str, parent: Any, level: Any, **kw: Any) -> Any:
    from dongthuan.core.text import fold
    from dongthuan.organizations.models import Organization

    org = Organization(name=name, kind=kind, parent=parent, level=level, status="active", **kw)
    org.search_name = fold(f"{org.name} {org.short_name}")
    return org


def set_paths(orgs: list[Any]) -> None:
    """The same path and depth as organizations.services._set_path (parents must already have theirs)."""
    from dongthuan.organizations.services import _set_path

    for org in orgs:
        _set_path(org)


def insert_orgs(orgs: list[Any]) -> None:
    from dongthuan.organizations.models import Organization, ParentLink

    Organization.objects.bulk_create(orgs, batch_size=BATCH)
    set_paths(orgs)
    Organization.objects.bulk_update(orgs, ["path", "depth"], batch_size=500)
    ParentLink.objects.bulk_create(
        [ParentLink(organization=o, parent=o.parent, valid_from=o.valid_from) for o in orgs], batch_size=BATCH
    )


def person_row(rng: random.Random, seq: int, cell: Any, home: Any, today: dt.date) -> Any:
    from dongthuan.core.demo_names import fictional_name
    from dongthuan.core.text import fold, given_name_sort_key
    from dongthuan.people.models import PartyStatus, Person

    name, gender = fictional_name(rng)
    birth = dt.date(rng.randint(1950, 2003), rng.randint(1, 12), rng.randint(1, 28))
    if rng.random() < PROBATIONARY_SHARE:
        status = PartyStatus.PROBATIONARY
        joined = today - dt.timedelta(days=rng.randint(1, 360))  # probation lasts 12 months
        full_on = None
    else:
        status = PartyStatus.FULL
        joined = dt.date(rng.randint(max(birth.year + 18, 1975), 2024), rng.randint(1, 12), rng.randint(1, 28))
        full_on = joined.replace(year=joined.year + 1)
        if full_on > today:
            full_on = today
    return Person(
        full_name=name,
        gender=gender,
        birth_date=birth,
        home_organization=home,
        party_status=status,
        party_card_number=f"{seq:010d}",
        joined_on=joined,
        full_on=full_on,
        cell=cell,
        search_name=fold(name),
        sort_key=given_name_sort_key(name),
    )


def generate(scale: float, seed: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dongthuan.organizations.models import (
        Body,
        BodyKind,
        Level,
        Organization,
        OrganizationKind,
        Position,
        PositionTitle,
        Term,
    )
    from dongthuan.people.models import PartyStatus, Person

    rng = random.Random(seed)
    today = timezone.localdate()
    levels = {lv.code: lv for lv in Level.objects.all()}
    n_communes = max(1, round(COMMUNES_AT_SCALE_1 * scale))
    n_members = round(MEMBERS_AT_SCALE_1 * scale)

    # The tree: province → communes → cells.
    province = org_row(
        PROVINCE_NAME,
        OrganizationKind.PARTY,
        None,
        levels["province"],
        short_name="Tỉnh ủy An Hòa",
        doc_code="TU",
        valid_from=dt.date(1997, 1, 1),
    )
    insert_orgs([province])
    communes = []
    for name in commune_names(rng, n_communes):
        is_ward = rng.random() < 0.2
        place = f"phường {name}" if is_ward else f"xã {name}"
        communes.append(
            org_row(
                f"Đảng bộ {place}",
                OrganizationKind.GRASSROOTS,
                province,
                levels["commune"],
                short_name=f"Đảng ủy {place}",
                doc_code="ĐU",
                valid_from=REFORM_DAY,
            )
        )
        communes[-1].bench_place, communes[-1].bench_short, communes[-1].bench_ward = place, name, is_ward
    insert_orgs(communes)
    cells = [
        org_row(cell_name, OrganizationKind.CELL, commune, levels["commune"], doc_code="CB", valid_from=REFORM_DAY)
        for commune in communes
        for cell_name in cell_names(commune.bench_place, commune.bench_short, commune.bench_ward)
    ]
    insert_orgs(cells)
    print(f"  organisations: 1 province, {len(communes)} communes, {len(cells)} cells")

    # Party members, spread over the cells with uneven sizes.
    weights = list(itertools.accumulate(rng.uniform(0.3, 1.7) for _ in cells))
    chosen = rng.choices(cells, cum_weights=weights, k=n_members)
    pool: dict[int, list[Person]] = {c.pk: [] for c in communes}  # full members who may hold commune posts
    first_full: dict[int, Person] = {}  # each cell's secretary
    batch: list[Person] = []
    for seq, cell in enumerate(chosen, start=1):
        person = person_row(rng, seq, cell, cell.parent, today)
        if person.party_status == PartyStatus.FULL:
            first_full.setdefault(cell.pk, person)
            if len(pool[cell.parent_id]) < 20:
                pool[cell.parent_id].append(person)
        batch.append(person)
        if len(batch) == BATCH:
            Person.objects.bulk_create(batch)
            batch = []
            if seq % 50_000 == 0:
                print(f"  members: {seq:,}")
    Person.objects.bulk_create(batch)
    if n_members % 50_000:
        print(f"  members: {n_members:,}")

    # Terms, bodies and posts: the province, every commune, every cell's committee.
    positions: list[Position] = []

    def committee(org: Organization, term_start: dt.date, suffix: str) -> dict[str, Body]:
        term = Term.objects.create(
            organization=org, name="2025 - 2030", congress_closed_on=term_start, start=term_start
        )
        bodies = {
            "committee": Body(organization=org, kind=BodyKind.COMMITTEE, name=f"Ban Chấp hành {suffix}", term=term),
            "standing": Body(
                organization=org, kind=BodyKind.STANDING_COMMITTEE, name=f"Ban Thường vụ {suffix}", term=term
            ),
            "inspection": Body(
                organization=org, kind=BodyKind.INSPECTION_COMMITTEE, name=f"Ủy ban Kiểm tra {suffix}", term=term
            ),
            "office": Body(organization=org, kind=BodyKind.OFFICE, name=f"Văn phòng {suffix}"),
        }
        Body.objects.bulk_create(bodies.values())
        return bodies

    def post(person: Person, org: Organization, body: Body | None, title: str, start: dt.date) -> None:
        positions.append(Position(person=person, organization=org, body=body, title=title, start=start))

    def fill(org: Organization, bodies: dict[str, Body], people: list[Person], start: dt.date) -> None:
        secretary, deputy, *members = people
        for key in ("committee", "standing"):
            post(secretary, org, bodies[key], PositionTitle.SECRETARY, start)
            post(deputy, org, bodies[key], PositionTitle.DEPUTY_SECRETARY, start)
        for i, p in enumerate(members[:5]):
            post(p, org, bodies["committee"], PositionTitle.MEMBER, start)
            if i < 2:
                post(p, org, bodies["standing"], PositionTitle.STANDING_MEMBER, start)
        post(members[0], org, bodies["inspection"], PositionTitle.CHAIR, start)
        post(members[5], org, bodies["office"], PositionTitle.OFFICE_STAFF, start)

    province_people = [pool[communes[j % len(communes)].pk][10 + j // len(communes)] for j in range(8)]
    fill(province, committee(province, dt.date(2025, 10, 15), "Tỉnh ủy An Hòa"), province_people, dt.date(2025, 10, 16))
    for commune in communes:
        bodies = committee(commune, dt.date(2025, 8, 20), commune.short_name.removeprefix("Đảng ủy "))
        fill(commune, bodies, pool[commune.pk][:8], dt.date(2025, 8, 21))
    cell_bodies = [Body(organization=c, kind=BodyKind.CELL_COMMITTEE, name=f"Chi ủy {c.name[7:]}") for c in cells]
    Body.objects.bulk_create(cell_bodies, batch_size=BATCH)
    for cell, body in zip(cells, cell_bodies, strict=True):
        if cell.pk in first_full:
            post(first_full[cell.pk], cell, body, PositionTitle.SECRETARY, dt.date(2025, 7, 15))
    Position.objects.bulk_create(positions, batch_size=BATCH)

    # The two accounts the benchmark logs in as.
    User = get_user_model()
    accounts = {"bench.province": province_people[0], "bench.commune": pool[communes[0].pk][0]}
    for username, person in accounts.items():
        user = User(username=username)
        user.set_unusable_password()
        user.save()
        Person.objects.filter(pk=person.pk).update(account=user)
    print(f"  posts: {len(positions):,}; accounts: {', '.join(accounts)}")
    return {
        "province_id": province.pk,
        "commune_id": communes[0].pk,
        "accounts": {u: p.pk for u, p in accounts.items()},
    }


def analyze() -> None:
    """PostgreSQL: VACUUM ANALYZE after the bulk load, as autovacuum would do a little later (otherwise it runs
    in the middle of the timing), so that the timing sees a database in its steady state.
    SQLite: nothing — the application never runs ANALYZE, so the benchmark does not either."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    benchenv.setup()
    from django.db import connection, transaction

    if benchenv.vendor() == "postgresql":
        ensure_postgres_database()
    database = connection.settings_dict["NAME"]
    wanted = {"scale": args.scale, "seed": args.seed, "version": GENERATOR_VERSION}
    meta = benchenv.read_meta()
    if meta and not args.force and all(meta.get(k) == v for k, v in wanted.items()):
        migrate()  # only if the application gained migrations since
        print(
            f"Benchmark data at scale {args.scale:g} already in {database} "
            f"(generated {meta['generated_at']} in {meta['generation_seconds']:.1f} s); skipping generation."
        )
        return
    if meta is not None or args.force:
        print(f"Resetting {database} …")
    reset_database()
    migrate()

    print(f"Generating scale {args.scale:g} into {database} ({benchenv.vendor()}) …")
    started = time.perf_counter()
    with transaction.atomic():
        ids = generate(args.scale, args.seed)
    analyze()
    seconds = time.perf_counter() - started
    from django.utils import timezone

    benchenv.write_meta(
        {
            **wanted,
            **ids,
            "generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "generation_seconds": seconds,
        }
    )
    print(f"Generated in {seconds:.1f} s.")


if __name__ == "__main__":
    main(sys.argv[1:])
