"""The demo's political system and its people: the Bình Xuyên district of 2017 under the Vĩnh Phúc province
committee — its committees, offices, People's Committee, Front and mass organisations, its thirteen communes and
towns with their cells and fictional members — and, after the reorganisation of 1 July 2025, the new leaderships of
Phú Thọ and of the three new communes. Organisations and posts are written through the organisations' services,
people through the people services; the people app tells this part of the story because it sits above
organisations (a person is registered in a cell and holds posts in bodies). ``person`` draws each fictional person
from the demo's seeded generator in the order the story meets them, so that the same people come out on every
machine."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dongthuan.core.demo import DemoContext
from dongthuan.core.demo_names import fictional_name
from dongthuan.organizations import services as org
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
from dongthuan.people import services as people
from dongthuan.people.models import PartyStatus, Person

PROVINCE_NAME = "Đảng bộ tỉnh Vĩnh Phúc"

COMMUNES = [
    # (name, is_town) — the communes and towns of Bình Xuyên district in 2017
    ("Trung Mỹ", False),
    ("Hương Canh", True),
    ("Gia Khánh", True),
    ("Thanh Lãng", True),
    ("Đạo Đức", True),
    ("Bá Hiến", False),
    ("Thiện Kế", False),
    ("Sơn Lôi", False),
    ("Tam Hợp", False),
    ("Quất Lưu", False),
    ("Hương Sơn", False),
    ("Tân Phong", False),
    ("Phú Xuân", False),
]
TRUNG_MY_CELLS = [
    "Chi bộ thôn Thanh Lanh",
    "Chi bộ thôn Đồng Giang",
    "Chi bộ thôn Vĩnh Ninh",
    "Chi bộ thôn Gia Khau",
    "Chi bộ thôn Trung Mầu",
    "Chi bộ Trường THCS Trung Mỹ",
    "Chi bộ Quân sự xã Trung Mỹ",
    "Chi bộ thôn Đồng Câu",
]
DISTRICT_DEPARTMENTS = [
    "Văn phòng HĐND và UBND huyện",
    "Phòng Nội vụ",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Nông nghiệp và Phát triển nông thôn",
]
DISTRICT_PUBLIC_SERVICE = ["Trung tâm Y tế huyện Bình Xuyên", "Trung tâm Văn hóa - Thông tin - Thể thao huyện"]
MASS_ORGS = [
    ("Đoàn Thanh niên", "Đoàn TNCS Hồ Chí Minh"),
    ("Hội Liên hiệp Phụ nữ", "Hội LHPN"),
    ("Hội Nông dân", "Hội ND"),
    ("Hội Cựu chiến binh", "Hội CCB"),
]

# The 2025 reorganisation as the demo tells it (illustrative grouping): on 1 July 2025 the district level ends,
# the communes and towns of Bình Xuyên merge into new communes under the province, and Vĩnh Phúc merges into
# Phú Thọ (Nghị quyết 202/2025/QH15).
REORGANISED_ON = dt.date(2025, 7, 1)
NEW_COMMUNES = [
    ("Bình Tuyền", ["Trung Mỹ", "Bá Hiến", "Thiện Kế", "Hương Sơn"]),
    ("Bình Nguyên", ["Thanh Lãng", "Đạo Đức", "Tân Phong", "Phú Xuân"]),
    ("Bình Xuyên", ["Hương Canh", "Gia Khánh", "Tam Hợp", "Sơn Lôi", "Quất Lưu"]),
]


def demo_present() -> bool:
    """Whether the demo was built here already (its 2017 province committee is there)."""
    return Organization.objects.filter(name=PROVINCE_NAME, parent__isnull=True).exists()


# -- helpers -----------------------------------------------------------------------------------------------------
def organization(name: str, kind: str, parent: Organization | None, **kw: Any) -> Organization:
    kw.setdefault("valid_from", dt.date(2015, 1, 1) if kind != OrganizationKind.CELL else dt.date(2016, 1, 1))
    return org.organization_create(actor=None, name=name, kind=kind, parent=parent, **kw)


def party_committee(organization: Organization, term_name: str, closed: dt.date) -> tuple[Term, dict[str, Body]]:
    term = org.term_create(actor=None, organization=organization, name=term_name, congress_closed_on=closed)
    bodies = {
        "committee": org.body_create(
            actor=None,
            organization=organization,
            kind=BodyKind.COMMITTEE,
            name=f"Ban Chấp hành {organization.name.replace('Đảng bộ', 'Đảng bộ').strip()}",
            term=term,
        ),
        "standing": org.body_create(
            actor=None,
            organization=organization,
            kind=BodyKind.STANDING_COMMITTEE,
            name=f"Ban Thường vụ {organization.short_name or organization.name}",
            term=term,
        ),
        "inspection": org.body_create(
            actor=None,
            organization=organization,
            kind=BodyKind.INSPECTION_COMMITTEE,
            name=f"Ủy ban Kiểm tra {organization.short_name or organization.name}",
            term=term,
        ),
    }
    return term, bodies


def fill_committee(
    organization: Organization, bodies: dict[str, Body], members: list[Person], start: dt.date
) -> tuple[Person, Person, list[Person]]:
    secretary, deputy, *rest = members
    for body_key in ("committee", "standing"):
        org.position_assign(
            actor=None,
            person=secretary,
            organization=organization,
            body=bodies[body_key],
            title=PositionTitle.SECRETARY,
            start=start,
        )
        org.position_assign(
            actor=None,
            person=deputy,
            organization=organization,
            body=bodies[body_key],
            title=PositionTitle.DEPUTY_SECRETARY,
            start=start,
        )
    for i, p in enumerate(rest):
        org.position_assign(
            actor=None,
            person=p,
            organization=organization,
            body=bodies["committee"],
            title=PositionTitle.MEMBER,
            start=start,
        )
        if i < 2:
            org.position_assign(
                actor=None,
                person=p,
                organization=organization,
                body=bodies["standing"],
                title=PositionTitle.STANDING_MEMBER,
                start=start,
            )
    chair = rest[0] if rest else deputy
    org.position_assign(
        actor=None,
        person=chair,
        organization=organization,
        body=bodies["inspection"],
        title=PositionTitle.CHAIR,
        start=start,
    )
    return secretary, deputy, rest


def cell(
    demo: DemoContext, parent: Organization, name: str, full: int, probationary: int
) -> tuple[Organization, list[Person]]:
    c = organization(name, OrganizationKind.CELL, parent, level=parent.level, doc_code="CB")
    members = [person(demo, cell=c, status=PartyStatus.FULL, home=parent) for _ in range(full)]
    members += [person(demo, cell=c, status=PartyStatus.PROBATIONARY, home=parent) for _ in range(probationary)]
    start = dt.date(2017, 3, 10)
    if full >= 1:
        cc = org.body_create(actor=None, organization=c, kind=BodyKind.CELL_COMMITTEE, name=f"Chi ủy {name[7:]}")
        org.position_assign(
            actor=None, person=members[0], organization=c, body=cc, title=PositionTitle.SECRETARY, start=start
        )
        if full >= 5:
            org.position_assign(
                actor=None,
                person=members[1],
                organization=c,
                body=cc,
                title=PositionTitle.DEPUTY_SECRETARY,
                start=start,
            )
        if full >= 9:
            for m in members[2:5]:
                org.position_assign(
                    actor=None, person=m, organization=c, body=cc, title=PositionTitle.MEMBER, start=start
                )
    if full >= 3:
        org.organization_activate(actor=None, organization=c)
    return c, members


def commune(demo: DemoContext, district: Organization, name: str, is_town: bool) -> None:
    lv = demo.levels
    place = f"thị trấn {name}" if is_town else f"xã {name}"
    c = organization(
        f"Đảng bộ {place}",
        OrganizationKind.GRASSROOTS,
        district,
        level=lv["commune"],
        short_name=f"Đảng ủy {place}",
        doc_code="ĐU",
    )
    term, bodies = party_committee(c, "2015 - 2020", dt.date(2015, 5, 20))
    demo.communes[name] = c
    trung_my = name == "Trung Mỹ"
    if trung_my:
        cell_specs = [(n, demo.rng.randint(9, 18), demo.rng.randint(0, 2)) for n in TRUNG_MY_CELLS]
        cell_specs.append(("Chi bộ Công an xã Trung Mỹ", 2, 1))  # below R-ORG-1's minimum: stays "forming"
    else:
        cell_specs = [
            (
                f"Chi bộ {'tổ dân phố' if is_town else 'thôn'} số {i} {place}",
                demo.rng.randint(4, 12),
                demo.rng.randint(0, 1),
            )
            for i in range(1, 4)
        ]
    all_members: list[Person] = []
    first_cell = None
    for cell_name, full, prob in cell_specs:
        new_cell, members = cell(demo, c, cell_name, full, prob)
        first_cell = first_cell or new_cell
        all_members.extend(m for m in members if m.party_status == PartyStatus.FULL)
    # Committee members and office staff are taken among members without a cell post, so that each demo
    # login shows one role.
    free = [m for m in all_members if not m.positions.exists()]
    committee = demo.rng.sample(free, 7)
    secretary, deputy, rest = fill_committee(c, bodies, committee, dt.date(2015, 5, 21))
    demo.commune_people[name] = [secretary, deputy, *rest]
    office = org.body_create(actor=None, organization=c, kind=BodyKind.OFFICE, name=f"Văn phòng Đảng ủy {place}")
    office_staff = next(m for m in free if m not in committee)
    org.position_assign(
        actor=None,
        person=office_staff,
        organization=c,
        body=office,
        title=PositionTitle.OFFICE_STAFF,
        start=dt.date(2016, 3, 1),
    )
    ubnd = organization(f"UBND {place}", OrganizationKind.GOVERNMENT, c, level=lv["commune"])
    org.position_assign(
        actor=None, person=rest[1], organization=ubnd, title=PositionTitle.CHAIR, start=dt.date(2016, 6, 20)
    )
    organization(f"Ủy ban MTTQ {place}", OrganizationKind.FRONT, c, level=lv["commune"])
    if trung_my:
        for mass, _short in MASS_ORGS:
            organization(f"{mass} {place}", OrganizationKind.MASS_ORG, c, level=lv["commune"])
        demo.trung_my_office_staff = office_staff
        plain = next(
            m for m in Person.objects.filter(cell=first_cell, party_status=PartyStatus.FULL) if not m.positions.exists()
        )
        demo.logins["dangvien.thanhlanh"] = plain
        demo.logins["congdan"] = person(demo, cell=None, status=PartyStatus.NONE, home=ubnd)
        for _ in range(20):
            person(demo, cell=None, status=PartyStatus.NONE, home=ubnd)


# -- the steps ---------------------------------------------------------------------------------------------------
def political_system_2017(demo: DemoContext) -> None:
    """The province and district committees with their bodies and office cells, the district's People's Committee,
    departments, Front and mass organisations, and its communes and towns with their cells and members.

    Leaves ``levels``, ``province``, ``province_secretary``, ``province_office_cell``, ``district``,
    ``district_standing``, ``district_leaders`` (secretary first, then the deputy), ``district_office_cell``,
    ``district_front`` and the chair of the Front ``district_front_chair``, ``communes`` and ``commune_people``
    (their committees, secretary first) by name, ``trung_my_office_staff``, and the logins of a plain party member
    and a citizen of Trung Mỹ."""
    demo.levels = lv = {level.code: level for level in Level.objects.all()}
    demo.communes, demo.commune_people = {}, {}
    province = organization(
        PROVINCE_NAME,
        OrganizationKind.PARTY,
        None,
        level=lv["province"],
        short_name="Tỉnh ủy Vĩnh Phúc",
        doc_code="TU",
        valid_from=dt.date(1997, 1, 1),
    )
    p_term, p_bodies = party_committee(province, "2015 - 2020", dt.date(2015, 10, 15))
    p_cell, p_members = cell(demo, province, "Chi bộ Văn phòng Tỉnh ủy", 12, 1)
    fill_committee(province, p_bodies, p_members[:5], dt.date(2015, 10, 16))

    district = organization(
        "Đảng bộ huyện Bình Xuyên",
        OrganizationKind.PARTY,
        province,
        level=lv["district"],
        short_name="Huyện ủy Bình Xuyên",
        doc_code="HU",
        address="Thị trấn Hương Canh, huyện Bình Xuyên",
    )
    d_term, d_bodies = party_committee(district, "2015 - 2020", dt.date(2015, 7, 30))
    office = org.body_create(actor=None, organization=district, kind=BodyKind.OFFICE, name="Văn phòng Huyện ủy")
    d_cell, d_members = cell(demo, district, "Chi bộ Văn phòng Huyện ủy", 14, 2)
    fill_committee(district, d_bodies, d_members[:7], dt.date(2015, 7, 31))
    demo.district_standing, demo.district_leaders = d_bodies["standing"], d_members[:7]
    org.position_assign(
        actor=None,
        person=d_members[7],
        organization=district,
        body=office,
        title=PositionTitle.OFFICE_STAFF,
        start=dt.date(2016, 1, 4),
    )
    demo.district, demo.province = district, province
    demo.province_office_cell, demo.district_office_cell = p_cell, d_cell
    demo.province_secretary = p_members[0]

    # The district People's Committee, its departments, public service units, Front and mass organisations.
    ubnd = organization(
        "UBND huyện Bình Xuyên",
        OrganizationKind.GOVERNMENT,
        district,
        level=lv["district"],
        short_name="UBND huyện",
    )
    gov_staff = [person(demo, cell=d_cell, status=PartyStatus.FULL, home=ubnd) for _ in range(3)]
    org.position_assign(
        actor=None, person=gov_staff[0], organization=ubnd, title=PositionTitle.CHAIR, start=dt.date(2016, 6, 1)
    )
    org.position_assign(
        actor=None,
        person=gov_staff[1],
        organization=ubnd,
        title=PositionTitle.DEPUTY_CHAIR,
        start=dt.date(2016, 6, 1),
    )
    for name in DISTRICT_DEPARTMENTS:
        dep = organization(name, OrganizationKind.GOVERNMENT, ubnd, level=lv["district"])
        head = person(demo, cell=d_cell, status=PartyStatus.FULL, home=dep)
        org.position_assign(
            actor=None, person=head, organization=dep, title=PositionTitle.HEAD, start=dt.date(2016, 8, 1)
        )
    for name in DISTRICT_PUBLIC_SERVICE:
        organization(name, OrganizationKind.PUBLIC_SERVICE, ubnd, level=lv["district"])
    demo.district_front = organization(
        "Ủy ban MTTQ Việt Nam huyện Bình Xuyên",
        OrganizationKind.FRONT,
        district,
        level=lv["district"],
        short_name="MTTQ huyện",
    )
    for name, short in MASS_ORGS:
        organization(
            f"{name} huyện Bình Xuyên",
            OrganizationKind.MASS_ORG,
            district,
            level=lv["district"],
            short_name=f"{short} huyện",
        )

    for name, is_town in COMMUNES:
        commune(demo, district, name, is_town)

    # The chair of the district Front, who answers the consultation on the district's resolution.
    org.position_assign(
        actor=None,
        person=person(demo, cell=demo.district_office_cell, status=PartyStatus.FULL, home=demo.district_front),
        organization=demo.district_front,
        title=PositionTitle.CHAIR,
        start=dt.date(2016, 9, 1),
    )
    demo.district_front_chair = Position.objects.get(organization=demo.district_front, title=PositionTitle.CHAIR).person


def leaderships_2025(demo: DemoContext) -> None:
    """The leaderships appointed from 1 July 2025: the Phú Thọ committee's secretary (the former secretary of Vĩnh
    Phúc) and, in each new commune, a committee of the secretaries and deputies of the communes it merged, with its
    office (Trung Mỹ's office staff in Bình Tuyền).

    Reads ``phu_tho`` (made by the reorganisation). Leaves ``new_communes`` by name, ``binh_tuyen_committee`` and
    ``binh_tuyen_leaders`` (secretary, deputy, then the members), and the logins of the province's and the
    communes' officers."""
    on = REORGANISED_ON
    phu_tho = demo.phu_tho
    term = org.term_create(actor=None, organization=phu_tho, name="2025 - 2030", start=on)
    committee = org.body_create(
        actor=None,
        organization=phu_tho,
        kind=BodyKind.COMMITTEE,
        name="Ban Chấp hành Đảng bộ tỉnh Phú Thọ",
        term=term,
    )
    org.position_assign(
        actor=None,
        person=demo.province_secretary,
        organization=phu_tho,
        body=committee,
        title=PositionTitle.SECRETARY,
        start=on,
    )
    demo.logins["bithu.tinh"] = demo.province_secretary
    demo.new_communes = {}
    for new_name, olds in NEW_COMMUNES:
        new = Organization.objects.get(name=f"Đảng bộ xã {new_name}")
        demo.new_communes[new_name] = new
        people = [p for o in olds for p in demo.commune_people[o][:2]]
        term = org.term_create(actor=None, organization=new, name="2025 - 2030", start=on)
        body = org.body_create(
            actor=None,
            organization=new,
            kind=BodyKind.COMMITTEE,
            name=f"Ban Chấp hành Đảng bộ xã {new_name}",
            term=term,
        )
        titles = [PositionTitle.SECRETARY, PositionTitle.DEPUTY_SECRETARY] + [PositionTitle.MEMBER] * (len(people) - 2)
        for member, title in zip(people, titles, strict=True):
            org.position_assign(actor=None, person=member, organization=new, body=body, title=title, start=on)
        office = org.body_create(
            actor=None, organization=new, kind=BodyKind.OFFICE, name=f"Văn phòng Đảng ủy xã {new_name}"
        )
        if new_name == "Bình Tuyền":
            org.position_assign(
                actor=None,
                person=demo.trung_my_office_staff,
                organization=new,
                body=office,
                title=PositionTitle.OFFICE_STAFF,
                start=on,
            )
            demo.logins.update(
                {
                    "bithu.binhtuyen": people[0],
                    "phobithu.binhtuyen": people[1],
                    "uyvien.binhtuyen": people[2],
                    "vanphong.binhtuyen": demo.trung_my_office_staff,
                }
            )
            demo.binh_tuyen_committee, demo.binh_tuyen_leaders = body, people
        if new_name == "Bình Nguyên":
            demo.logins["bithu.binhnguyen"] = people[0]


def person(demo: DemoContext, *, cell: Organization | None, status: str, home: Organization | None = None) -> Person:
    """A fictional person: a party member of ``cell`` (full or probationary, with a card number) or, with
    ``PartyStatus.NONE``, a citizen; ``home`` is where they live or work."""
    rng = demo.rng
    name, gender = fictional_name(rng)
    birth = dt.date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
    fields: dict[str, Any] = {"gender": gender, "birth_date": birth, "home_organization": home}
    if status in (PartyStatus.FULL, PartyStatus.PROBATIONARY):
        demo.party_cards = getattr(demo, "party_cards", 0) + 1
        joined = dt.date(rng.randint(max(birth.year + 18, 1975), 2016), rng.randint(1, 12), 15)
        if status == PartyStatus.PROBATIONARY:
            joined = dt.date(2016, rng.randint(6, 12), 15)
        fields.update(
            party_status=status,
            cell=cell,
            joined_on=joined,
            full_on=joined.replace(year=joined.year + 1) if status == PartyStatus.FULL else None,
            party_card_number=f"26.{demo.party_cards:06d}",
        )
    return people.person_create(actor=None, full_name=name, **fields)
