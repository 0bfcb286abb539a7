"""Build the Bình Xuyên political system of the 2017 article, with fictional people and a login per role.

Idempotent: a second run finds the demo in place and only makes sure the demo logins work.
Everything is written through the services, so the demo has a full audit trail.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from dongthuan.core.demo_names import fictional_name
from dongthuan.organizations import services as org
from dongthuan.organizations.models import BodyKind, Level, Organization, OrganizationKind, Position, PositionTitle
from dongthuan.people import services as people
from dongthuan.people.models import PartyStatus, Person
from dongthuan.portal import demo as portal_demo
from dongthuan.programs.services import tasks_flag_overdue
from dongthuan.restructuring import services as rs

DEMO_PASSWORD = "dongthuan"  # noqa: S105 - demo logins only; printed by the command
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

LOGINS = [
    ("quantri", "Quản trị hệ thống", "admin"),
    ("bithu.tinh", "Bí thư Tỉnh ủy Phú Thọ", "province_secretary"),
    ("bithu.binhtuyen", "Bí thư Đảng ủy xã Bình Tuyền (trước 1/7/2025: Bí thư Đảng ủy xã Trung Mỹ)", "secretary"),
    ("phobithu.binhtuyen", "Phó Bí thư Đảng ủy xã Bình Tuyền", "deputy"),
    ("uyvien.binhtuyen", "Đảng ủy viên xã Bình Tuyền", "committee_member"),
    ("vanphong.binhtuyen", "Cán bộ Văn phòng Đảng ủy xã Bình Tuyền", "office_staff"),
    ("dangvien.thanhlanh", "Đảng viên chi bộ thôn Thanh Lanh", "member"),
    ("bithu.binhnguyen", "Bí thư Đảng ủy xã Bình Nguyên", "other_secretary"),
    ("congdan", "Công dân xã Trung Mỹ cũ", "citizen"),
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


class Builder:
    def __init__(self, seed: int = 2017):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible fictional data, not security
        self.levels = {lv.code: lv for lv in Level.objects.all()}
        self.card_seq = 0
        self.logins: dict[str, Person] = {}
        self.communes: dict[str, Organization] = {}
        self.commune_people: dict[str, list[Person]] = {}

    # -- helpers -------------------------------------------------------------------------------------------
    def organization(self, name: str, kind: str, parent: Organization | None, **kw: Any) -> Organization:
        kw.setdefault("valid_from", dt.date(2015, 1, 1) if kind != OrganizationKind.CELL else dt.date(2016, 1, 1))
        return org.organization_create(actor=None, name=name, kind=kind, parent=parent, **kw)

    def person(self, *, cell: Organization | None, status: str, home: Organization | None = None) -> Person:
        name, gender = fictional_name(self.rng)
        birth = dt.date(self.rng.randint(1950, 1995), self.rng.randint(1, 12), self.rng.randint(1, 28))
        fields: dict[str, Any] = {"gender": gender, "birth_date": birth, "home_organization": home}
        if status in (PartyStatus.FULL, PartyStatus.PROBATIONARY):
            self.card_seq += 1
            joined = dt.date(self.rng.randint(max(birth.year + 18, 1975), 2016), self.rng.randint(1, 12), 15)
            if status == PartyStatus.PROBATIONARY:
                joined = dt.date(2016, self.rng.randint(6, 12), 15)
            fields.update(
                party_status=status,
                cell=cell,
                joined_on=joined,
                full_on=joined.replace(year=joined.year + 1) if status == PartyStatus.FULL else None,
                party_card_number=f"26.{self.card_seq:06d}",
            )
        return people.person_create(actor=None, full_name=name, **fields)

    def party_committee(self, organization: Organization, term_name: str, closed: dt.date, sizes: dict[str, int]):
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

    def fill_committee(self, organization: Organization, bodies: dict, members: list[Person], start: dt.date):
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

    def cell(self, parent: Organization, name: str, full: int, probationary: int) -> tuple[Organization, list[Person]]:
        c = self.organization(name, OrganizationKind.CELL, parent, level=parent.level, doc_code="CB")
        members = [self.person(cell=c, status=PartyStatus.FULL, home=parent) for _ in range(full)]
        members += [self.person(cell=c, status=PartyStatus.PROBATIONARY, home=parent) for _ in range(probationary)]
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

    # -- the political system ------------------------------------------------------------------------------
    def build(self) -> None:
        lv = self.levels
        province = self.organization(
            PROVINCE_NAME,
            OrganizationKind.PARTY,
            None,
            level=lv["province"],
            short_name="Tỉnh ủy Vĩnh Phúc",
            doc_code="TU",
            valid_from=dt.date(1997, 1, 1),
        )
        p_term, p_bodies = self.party_committee(province, "2015 - 2020", dt.date(2015, 10, 15), {})
        p_cell, p_members = self.cell(province, "Chi bộ Văn phòng Tỉnh ủy", 12, 1)
        self.fill_committee(province, p_bodies, p_members[:5], dt.date(2015, 10, 16))

        district = self.organization(
            "Đảng bộ huyện Bình Xuyên",
            OrganizationKind.PARTY,
            province,
            level=lv["district"],
            short_name="Huyện ủy Bình Xuyên",
            doc_code="HU",
            address="Thị trấn Hương Canh, huyện Bình Xuyên",
        )
        d_term, d_bodies = self.party_committee(district, "2015 - 2020", dt.date(2015, 7, 30), {})
        office = org.body_create(actor=None, organization=district, kind=BodyKind.OFFICE, name="Văn phòng Huyện ủy")
        d_cell, d_members = self.cell(district, "Chi bộ Văn phòng Huyện ủy", 14, 2)
        d_secretary, _, _ = self.fill_committee(district, d_bodies, d_members[:7], dt.date(2015, 7, 31))
        self.district_standing, self.district_leaders = d_bodies["standing"], d_members[:7]
        org.position_assign(
            actor=None,
            person=d_members[7],
            organization=district,
            body=office,
            title=PositionTitle.OFFICE_STAFF,
            start=dt.date(2016, 1, 4),
        )
        self.district, self.province, self.province_office_cell, self.district_office_cell = (
            district,
            province,
            p_cell,
            d_cell,
        )
        self.province_secretary = p_members[0]

        # The district People's Committee, its departments, public service units, Front and mass organisations.
        ubnd = self.organization(
            "UBND huyện Bình Xuyên",
            OrganizationKind.GOVERNMENT,
            district,
            level=lv["district"],
            short_name="UBND huyện",
        )
        gov_staff = [self.person(cell=d_cell, status=PartyStatus.FULL, home=ubnd) for _ in range(3)]
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
            dep = self.organization(name, OrganizationKind.GOVERNMENT, ubnd, level=lv["district"])
            head = self.person(cell=d_cell, status=PartyStatus.FULL, home=dep)
            org.position_assign(
                actor=None, person=head, organization=dep, title=PositionTitle.HEAD, start=dt.date(2016, 8, 1)
            )
        for name in DISTRICT_PUBLIC_SERVICE:
            self.organization(name, OrganizationKind.PUBLIC_SERVICE, ubnd, level=lv["district"])
        self.district_front = self.organization(
            "Ủy ban MTTQ Việt Nam huyện Bình Xuyên",
            OrganizationKind.FRONT,
            district,
            level=lv["district"],
            short_name="MTTQ huyện",
        )
        for name, short in MASS_ORGS:
            self.organization(
                f"{name} huyện Bình Xuyên",
                OrganizationKind.MASS_ORG,
                district,
                level=lv["district"],
                short_name=f"{short} huyện",
            )

        for name, is_town in COMMUNES:
            self.commune(district, name, is_town)
        self.renewal_resolution()

    def renewal_resolution(self) -> None:
        """The article's own story (24/04/2017): the district standing committee drafts its resolution on renewing
        the leadership method, consults the committee, the district's cadres, Trung Mỹ's party members and the
        Fatherland Front, answers every opinion, votes on the final version and issues it."""
        from dongthuan.consultations import services as consult
        from dongthuan.documents import services as docs
        from dongthuan.documents.models import DocumentType
        from dongthuan.meetings import services as meetings

        district, standing, leaders = self.district, self.district_standing, self.district_leaders
        secretary = leaders[0]
        v1 = [
            {
                "heading": "I. TÌNH HÌNH",
                "text": "Các cấp ủy Đảng ở huyện đã chủ động triển khai nhiều giải pháp nâng cao hiệu quả hoạt động của hệ thống chính trị ở cơ sở; song phương thức lãnh đạo ở một số nơi còn chậm đổi mới.",
            },
            {
                "heading": "II. MỤC TIÊU",
                "text": "Xây dựng bộ máy chính trị tinh gọn, hiệu lực, hiệu quả; nâng cao năng lực lãnh đạo và sức chiến đấu của tổ chức cơ sở đảng.",
            },
            {
                "heading": "III. NHIỆM VỤ, GIẢI PHÁP",
                "text": "1. Đổi mới cách thức ban hành và triển khai thực hiện các nghị quyết, chỉ thị, chương trình hành động.\n2. Thực hiện nghiêm chế độ tập thể lãnh đạo, cá nhân phụ trách.\n3. Thường xuyên lắng nghe ý kiến của cán bộ, đảng viên và nhân dân.",
            },
            {
                "heading": "IV. TỔ CHỨC THỰC HIỆN",
                "text": "Các cấp ủy cơ sở quán triệt và xây dựng chương trình hành động thực hiện Nghị quyết.",
            },
        ]
        draft = docs.document_create(
            actor=None,
            organization=district,
            doc_type=DocumentType.objects.get(name="Nghị quyết"),
            title="về đổi mới phương thức lãnh đạo của Đảng, xây dựng và phát huy hiệu quả hệ thống chính trị ở cơ sở",
            field="Xây dựng Đảng",
            sections=v1,
        )
        trung_my = self.communes["Trung Mỹ"]
        org.position_assign(
            actor=None,
            person=self.person(cell=self.district_office_cell, status=PartyStatus.FULL, home=self.district_front),
            organization=self.district_front,
            title=PositionTitle.CHAIR,
            start=dt.date(2016, 9, 1),
        )
        front_chair = Position.objects.get(organization=self.district_front, title=PositionTitle.CHAIR).person
        consultation = consult.round_open(
            actor=None,
            document=draft,
            opens_on=dt.date(2017, 3, 6),
            closes_on=dt.date(2017, 3, 21),
            audiences=[
                ("committee", district),
                ("cadres", district),
                ("members", trung_my),
                ("organisations", self.district_front),
            ],
        )
        keys = [sec["key"] for sec in consultation.version.sections]
        tm_members = list(
            Person.objects.filter(cell__path__startswith=trung_my.path, party_status=PartyStatus.FULL).order_by("id")[
                :3
            ]
        )
        said = [
            (
                leaders[3],
                keys[2],
                "Đề nghị bổ sung giải pháp về phân công trách nhiệm của người đứng đầu cấp ủy.",
                dt.date(2017, 3, 8),
            ),
            (
                tm_members[0],
                keys[2],
                "Cần quy định rõ việc lấy ý kiến cán bộ, đảng viên trước khi ban hành nghị quyết chuyên đề ở xã.",
                dt.date(2017, 3, 10),
            ),
            (
                tm_members[1],
                keys[2],
                "Cần quy định rõ việc lấy ý kiến của cán bộ, đảng viên trước khi ban hành các nghị quyết chuyên đề.",
                dt.date(2017, 3, 11),
            ),
            (
                tm_members[2],
                keys[1],
                "Đề nghị đặt chỉ tiêu cụ thể về số tổ chức cơ sở đảng trong sạch, vững mạnh.",
                dt.date(2017, 3, 13),
            ),
            (
                front_chair,
                "",
                "Mặt trận nhất trí với dự thảo; đề nghị nêu rõ vai trò giám sát của MTTQ và các đoàn thể.",
                dt.date(2017, 3, 20),
            ),
        ]
        opinions = [
            consult.opinion_give(actor=None, consultation=consultation, person=p, text=t, section_key=k, received_on=d)
            for p, k, t, d in said
        ]
        v2_sections = [dict(sec) for sec in consultation.version.sections]
        v2_sections[1]["text"] += " Phấn đấu hằng năm trên 80% tổ chức cơ sở đảng đạt trong sạch, vững mạnh."
        v2_sections[2]["text"] += (
            "\n4. Người đứng đầu cấp ủy chịu trách nhiệm cá nhân về kết quả lãnh đạo lĩnh vực được phân công."
            "\n5. Lấy ý kiến cán bộ, đảng viên trước khi ban hành nghị quyết chuyên đề; công khai việc tiếp thu, giải trình."
        )
        v2_sections[3]["text"] += " Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội giám sát việc thực hiện."
        v2 = docs.version_save(
            actor=None, document=draft, sections=v2_sections, based_on=1, note="Tiếp thu ý kiến góp ý"
        )
        consult.round_close(actor=None, consultation=consultation)
        answers = [
            ("accepted", "Đã bổ sung giải pháp 4 về trách nhiệm của người đứng đầu."),
            ("accepted", "Đã bổ sung giải pháp 5."),
            ("accepted", "Cùng nội dung với ý kiến trên; đã bổ sung giải pháp 5."),
            ("partly", "Bổ sung chỉ tiêu chung của huyện; chỉ tiêu từng xã do đảng ủy xã xác định."),
            ("accepted", "Đã bổ sung vai trò giám sát của MTTQ và các đoàn thể ở mục IV."),
        ]
        for opinion, (decision, reasoning) in zip(opinions, answers, strict=True):
            consult.opinion_answer(
                actor=None, opinion=opinion, decision=decision, reasoning=reasoning, changed_version=v2
            )
        consult.round_synthesise(actor=None, consultation=consultation)

        meeting = meetings.meeting_create(
            actor=None,
            body=standing,
            title="Hội nghị Ban Thường vụ Huyện ủy tháng 4/2017",
            starts_at=dt.datetime(2017, 4, 20, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
            place="Phòng họp Ban Thường vụ Huyện ủy",
            chair=secretary,
            clerk=leaders[1],
        )
        voters = [a.person for a in meeting.attendance.select_related("person").filter(role="member")]
        for person in voters:
            meetings.attendance_set(actor=None, meeting=meeting, person=person, status="present")
        item = meetings.item_add(actor=None, meeting=meeting, title="", document=draft)
        meetings.opinion_add(
            actor=None, item=item, person=leaders[1], text="Dự thảo đã tiếp thu đầy đủ ý kiến; đề nghị thông qua."
        )
        poll = meetings.poll_open(
            actor=None,
            poll=meetings.poll_create(actor=None, item=item, question="Thông qua Nghị quyết", kind="open"),
        )
        for person in voters:
            meetings.vote_cast(actor=None, poll=poll, person=person, choice="approve")
        meetings.poll_close(actor=None, poll=poll)
        meetings.meeting_close(actor=None, meeting=meeting)
        meetings.minutes_sign(actor=None, minutes=meetings.minutes_generate(actor=None, meeting=meeting))
        issued = docs.document_issue(
            actor=None,
            document=draft,
            issued_on=dt.date(2017, 4, 24),
            place="Bình Xuyên",
            signer=secretary,
            signer_authority="T/M Ban Thường vụ",
            signer_title="Bí thư",
            recipients="Ban Thường vụ Tỉnh ủy (để báo cáo)\nCác đảng ủy, chi bộ cơ sở\nCác đồng chí Huyện ủy viên\nLưu Văn phòng Huyện ủy",
        )
        # Quán triệt in Trung Mỹ: each cell holds a session in May 2017; one member of each is away.
        study = docs.dissemination_create(
            actor=None, document=issued, organization=trung_my, deadline=dt.date(2017, 5, 31)
        )
        for cell in Organization.objects.filter(parent=trung_my, kind="cell").order_by("name"):
            attendees = list(docs.members_in_scope(study).filter(cell=cell).order_by("sort_key"))[1:]
            if attendees:
                docs.session_record(
                    actor=None,
                    dissemination=study,
                    organization=cell,
                    held_on=dt.date(2017, 5, 5),
                    attendees=attendees,
                    place=f"Nhà văn hóa {cell.name.removeprefix('Chi bộ ')}",
                )
        assert v2.number == 2
        self.action_program(issued)

    def action_program(self, resolution: Any) -> None:
        """The standing committee's action program for the resolution (May 2017): socio-economic, defence-security
        and party-building objectives with indicators; tasks given to Trung Mỹ and three other communes; Trung
        Mỹ's own program breaking its task down to its cells; a year of quarterly reports, as recorded at the
        time."""
        from dongthuan.programs import services as programs
        from dongthuan.programs.models import Field

        district, leaders = self.district, self.district_leaders
        fields = {f.abbreviation: f for f in Field.objects.all()}
        program = programs.program_create(
            actor=None,
            organization=district,
            title=f"Chương trình hành động thực hiện Nghị quyết số {resolution.symbol} của Ban Thường vụ Huyện ủy",
            starts_on=dt.date(2017, 5, 1),
            ends_on=dt.date(2020, 12, 31),
            implements=resolution,
        )
        economy = programs.objective_add(
            actor=None, program=program, field=fields["KT-XH"], title="Phát triển kinh tế, xây dựng nông thôn mới"
        )
        security = programs.objective_add(
            actor=None, program=program, field=fields["QP-AN"], title="Giữ vững quốc phòng, an ninh ở cơ sở"
        )
        party = programs.objective_add(
            actor=None, program=program, field=fields["XDĐ-HTCT"], title="Đổi mới phương thức lãnh đạo của cấp ủy"
        )
        d = Decimal
        indicators: list[tuple[Any, str, str, Decimal, Decimal, str, list[str]]] = [
            (economy, "Số xã đạt chuẩn nông thôn mới", "xã", d(3), d(8), "higher", ["4", "5", "5", "6"]),
            (economy, "Tỷ lệ hộ nghèo", "%", d("4.2"), d("2.0"), "lower", ["3.9", "3.6", "3.4", "3.1"]),
            (security, "Thôn, tổ dân phố đạt chuẩn an toàn về an ninh, trật tự", "%", d(80), d(95), "higher",
             ["82", "85", "88", "90"]),
            (party, "Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "%", d(85), d(92), "higher",
             ["85", "86", "88", "89"]),
        ]  # fmt: skip
        quarters = [dt.date(2017, 6, 30), dt.date(2017, 9, 30), dt.date(2017, 12, 31), dt.date(2018, 3, 31)]
        for objective, name, unit, baseline, target, direction, values in indicators:
            indicator = programs.indicator_add(
                actor=None,
                objective=objective,
                name=name,
                unit=unit,
                baseline=baseline,
                target=target,
                deadline=dt.date(2020, 12, 31),
                direction=direction,
            )
            for end, value in zip(quarters, values, strict=True):
                programs.indicator_record(
                    actor=None, indicator=indicator, period_end=end, value=d(value), on=end + dt.timedelta(days=5)
                )

        def task(prog: Any, title: str, org: Organization, person: Person, due: dt.date, **kw: Any) -> Any:
            return programs.task_create(
                actor=None,
                program=prog,
                title=title,
                organization=org,
                responsible=person,
                starts_on=dt.date(2017, 5, 15),
                due_on=due,
                **kw,
            )

        def report(t: Any, values: list[int], texts: list[str]) -> None:
            for end, value, text in zip(quarters, values, texts, strict=False):
                programs.task_report_progress(
                    actor=None, task=t, period_end=end, progress=d(value), narrative=text, on=end + dt.timedelta(days=7)
                )

        drill = task(
            program,
            "Tổ chức diễn tập khu vực phòng thủ huyện",
            district,
            leaders[2],
            dt.date(2017, 11, 30),
            objective=security,
            deliverable="Báo cáo kết quả diễn tập",
            weight=2,
        )
        report(drill, [20, 70, 100], ["Xây dựng kế hoạch diễn tập", "Diễn tập các xã điểm", "Đã tổ chức diễn tập"])
        programs.task_set_status(
            actor=None, task=drill, status="done", reason="Diễn tập đạt yêu cầu", on=dt.date(2018, 1, 8)
        )
        communes = ["Trung Mỹ", "Bá Hiến", "Hương Canh", "Thiện Kế"]
        given = {}
        for name in communes:
            c, person = self.communes[name], self.commune_people[name][0]
            given[name] = task(
                program,
                f"Xây dựng và thực hiện chương trình hành động của {c.short_name}",
                c,
                person,
                dt.date(2018, 6, 30),
                objective=party,
                deliverable="Chương trình hành động của đảng ủy cơ sở",
                weight=3 if name == "Trung Mỹ" else 2,
            )
        new_rural = task(
            program,
            "Xây dựng xã Trung Mỹ đạt chuẩn nông thôn mới",
            self.communes["Trung Mỹ"],
            self.commune_people["Trung Mỹ"][2],
            dt.date(2019, 12, 31),
            objective=economy,
            coordinators=[self.communes["Bá Hiến"]],
            weight=3,
        )
        report(new_rural, [10, 25, 40, 50], ["Rà soát 19 tiêu chí", "Đạt thêm 2 tiêu chí", "Làm đường liên thôn",
                                            "Đạt 15/19 tiêu chí"])  # fmt: skip
        texts = [
            "Ban hành chương trình",
            "Triển khai đến các chi bộ",
            "Sơ kết 6 tháng",
            "Các chi bộ tiếp tục thực hiện",
        ]
        for name, steps in [("Bá Hiến", [30, 60, 80, 100]), ("Hương Canh", [20, 45, 60, 70]), ("Thiện Kế", [0, 10])]:
            report(given[name], steps, texts[:3] + ["Hoàn thành"] if steps[-1] == 100 else texts)
        programs.task_set_status(
            actor=None, task=given["Bá Hiến"], status="done", reason="Đã sơ kết, đạt yêu cầu", on=dt.date(2018, 4, 5)
        )
        programs.task_set_status(
            actor=None,
            task=given["Thiện Kế"],
            status="late",
            reason="Đảng ủy xã chậm ban hành chương trình; Ban Thường vụ đã nhắc nhở",
            on=dt.date(2017, 10, 9),
        )
        # Trung Mỹ breaks its task down to its cells: each cell's secretary answers for its cell's task.
        trung_my = self.communes["Trung Mỹ"]
        own = programs.program_create(
            actor=None,
            organization=trung_my,
            title="Chương trình hành động của Đảng ủy xã Trung Mỹ thực hiện Nghị quyết của Ban Thường vụ Huyện ủy",
            starts_on=dt.date(2017, 5, 20),
            ends_on=dt.date(2018, 6, 30),
            carries=given["Trung Mỹ"],
        )
        cells = list(Organization.objects.filter(parent=trung_my, kind="cell", status="active").order_by("name"))
        progress = [[25, 50, 75, 100], [30, 60, 90, 100], [20, 50, 80, 100], [25, 55, 85, 100]]
        for i, cell in enumerate(cells):
            secretary = Person.objects.filter(positions__organization=cell, positions__title="secretary").first()
            if secretary is None:
                continue
            cell_task = task(
                own,
                f"Đổi mới nội dung sinh hoạt {cell.name[0].lower()}{cell.name[1:]}",
                cell,
                secretary,
                dt.date(2018, 6, 30),
                deliverable="Sinh hoạt chuyên đề mỗi quý",
            )
            report(cell_task, progress[i % len(progress)], ["Sinh hoạt chuyên đề quý"] * 4)
            programs.task_set_status(
                actor=None,
                task=cell_task,
                status="done",
                reason="Đã sinh hoạt chuyên đề đủ bốn quý",
                on=dt.date(2018, 4, 10),
            )
        assert own.tasks.count() >= 3
        programs.task_set_status(
            actor=None,
            task=given["Trung Mỹ"],
            status="done",
            reason="Các chi bộ đã hoàn thành; Đảng ủy xã đã sơ kết",
            on=dt.date(2018, 4, 20),
        )

    def commune(self, district: Organization, name: str, is_town: bool) -> None:
        lv = self.levels
        place = f"thị trấn {name}" if is_town else f"xã {name}"
        c = self.organization(
            f"Đảng bộ {place}",
            OrganizationKind.GRASSROOTS,
            district,
            level=lv["commune"],
            short_name=f"Đảng ủy {place}",
            doc_code="ĐU",
        )
        term, bodies = self.party_committee(c, "2015 - 2020", dt.date(2015, 5, 20), {})
        self.communes[name] = c
        trung_my = name == "Trung Mỹ"
        if trung_my:
            cell_specs = [(n, self.rng.randint(9, 18), self.rng.randint(0, 2)) for n in TRUNG_MY_CELLS]
            cell_specs.append(("Chi bộ Công an xã Trung Mỹ", 2, 1))  # below R-ORG-1's minimum: stays "forming"
        else:
            cell_specs = [
                (
                    f"Chi bộ {'tổ dân phố' if is_town else 'thôn'} số {i} {place}",
                    self.rng.randint(4, 12),
                    self.rng.randint(0, 1),
                )
                for i in range(1, 4)
            ]
        all_members: list[Person] = []
        first_cell = None
        for cell_name, full, prob in cell_specs:
            cell, members = self.cell(c, cell_name, full, prob)
            first_cell = first_cell or cell
            all_members.extend(m for m in members if m.party_status == PartyStatus.FULL)
        # Committee members and office staff are taken among members without a cell post, so that each demo
        # login shows one role.
        free = [m for m in all_members if not m.positions.exists()]
        committee = self.rng.sample(free, 7)
        secretary, deputy, rest = self.fill_committee(c, bodies, committee, dt.date(2015, 5, 21))
        self.commune_people[name] = [secretary, deputy, *rest]
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
        ubnd = self.organization(f"UBND {place}", OrganizationKind.GOVERNMENT, c, level=lv["commune"])
        org.position_assign(
            actor=None, person=rest[1], organization=ubnd, title=PositionTitle.CHAIR, start=dt.date(2016, 6, 20)
        )
        self.organization(f"Ủy ban MTTQ {place}", OrganizationKind.FRONT, c, level=lv["commune"])
        if trung_my:
            for mass, _short in MASS_ORGS:
                self.organization(f"{mass} {place}", OrganizationKind.MASS_ORG, c, level=lv["commune"])
            self.trung_my_office_staff = office_staff
            plain = next(
                m
                for m in Person.objects.filter(cell=first_cell, party_status=PartyStatus.FULL)
                if not m.positions.exists()
            )
            self.logins["dangvien.thanhlanh"] = plain
            self.logins["congdan"] = self.person(cell=None, status=PartyStatus.NONE, home=ubnd)
            for _ in range(20):
                self.person(cell=None, status=PartyStatus.NONE, home=ubnd)

    # -- 1 July 2025 --------------------------------------------------------------------------------------------
    def reorganise_2025(self) -> None:
        """The 2025 reorganisation as dated events, through the same services the reorganisation pages use."""
        on, lv = REORGANISED_ON, self.levels
        province_basis = "Nghị quyết 202/2025/QH15"
        commune_basis = "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025"
        apply = rs.restructuring_apply
        apply(
            actor=None,
            reason="Kết thúc hoạt động cấp huyện; cán bộ văn phòng chuyển về Tỉnh ủy",
            legal_basis=commune_basis,
            plan=rs.plan_merge(sources=[self.district_office_cell], target=self.province_office_cell, on=on),
        )
        for new_name, olds in NEW_COMMUNES:
            place = f"xã {new_name}"
            apply(
                actor=None,
                reason="Sắp xếp đơn vị hành chính cấp xã",
                legal_basis=commune_basis,
                plan=rs.plan_merge(
                    sources=[self.communes[o] for o in olds],
                    on=on,
                    new=rs.NewOrg(
                        name=f"Đảng bộ {place}",
                        kind=OrganizationKind.GRASSROOTS,
                        level=lv["commune"],
                        parent=self.province,
                        short_name=f"Đảng ủy {place}",
                        doc_code="ĐU",
                    ),
                ),
            )
        apply(
            actor=None,
            reason="Không tổ chức cấp huyện từ 01/07/2025",
            legal_basis=commune_basis,
            plan=rs.plan_dissolve(org=self.district, on=on, with_units=True),
        )
        phu_tho = self.organization(
            "Đảng bộ tỉnh Phú Thọ",
            OrganizationKind.PARTY,
            None,
            level=lv["province"],
            short_name="Tỉnh ủy Phú Thọ",
            doc_code="TU",
            valid_from=dt.date(1997, 1, 1),
        )
        apply(
            actor=None,
            reason="Hợp nhất tỉnh Vĩnh Phúc vào tỉnh Phú Thọ",
            legal_basis=province_basis,
            plan=rs.plan_merge(sources=[self.province], target=phu_tho, on=on),
        )

        # The new leaderships, appointed from 1 July 2025.
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
            person=self.province_secretary,
            organization=phu_tho,
            body=committee,
            title=PositionTitle.SECRETARY,
            start=on,
        )
        self.logins["bithu.tinh"] = self.province_secretary
        for new_name, olds in NEW_COMMUNES:
            new = Organization.objects.get(name=f"Đảng bộ xã {new_name}")
            people = [p for o in olds for p in self.commune_people[o][:2]]
            term = org.term_create(actor=None, organization=new, name="2025 - 2030", start=on)
            body = org.body_create(
                actor=None,
                organization=new,
                kind=BodyKind.COMMITTEE,
                name=f"Ban Chấp hành Đảng bộ xã {new_name}",
                term=term,
            )
            titles = [PositionTitle.SECRETARY, PositionTitle.DEPUTY_SECRETARY] + [PositionTitle.MEMBER] * (
                len(people) - 2
            )
            for person, title in zip(people, titles, strict=True):
                org.position_assign(actor=None, person=person, organization=new, body=body, title=title, start=on)
            office = org.body_create(
                actor=None, organization=new, kind=BodyKind.OFFICE, name=f"Văn phòng Đảng ủy xã {new_name}"
            )
            if new_name == "Bình Tuyền":
                org.position_assign(
                    actor=None,
                    person=self.trung_my_office_staff,
                    organization=new,
                    body=office,
                    title=PositionTitle.OFFICE_STAFF,
                    start=on,
                )
                self.logins.update(
                    {
                        "bithu.binhtuyen": people[0],
                        "phobithu.binhtuyen": people[1],
                        "uyvien.binhtuyen": people[2],
                        "vanphong.binhtuyen": self.trung_my_office_staff,
                    }
                )
            if new_name == "Bình Nguyên":
                self.logins["bithu.binhnguyen"] = people[0]
            if new_name == "Bình Tuyền":
                self.first_meeting(body, people)
                self.public_consultation(new)
                self.current_program(new, people)

    def current_program(self, commune: Organization, leaders: list[Person]) -> None:
        """The new commune's program for its first congress's resolution (from 1 July 2025): tasks led by the
        committee and by cells, one quarterly report each up to the last closed quarter, one task at risk and one
        overdue — what the office follows today."""
        from dongthuan.programs import periods
        from dongthuan.programs import services as programs
        from dongthuan.programs.models import Field

        fields = {f.abbreviation: f for f in Field.objects.all()}
        today = timezone.localdate()
        program = programs.program_create(
            actor=None,
            organization=commune,
            title="Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ xã Bình Tuyền lần thứ I, "
            "nhiệm kỳ 2025 - 2030",
            starts_on=dt.date(2025, 7, 1),
            ends_on=dt.date(2030, 12, 31),
        )
        economy = programs.objective_add(
            actor=None, program=program, field=fields["KT-XH"], title="Xây dựng xã đạt chuẩn nông thôn mới nâng cao"
        )
        security = programs.objective_add(
            actor=None, program=program, field=fields["QP-AN"], title="Bảo đảm an ninh, trật tự ở thôn, xóm"
        )
        party = programs.objective_add(
            actor=None, program=program, field=fields["XDĐ-HTCT"], title="Nâng cao chất lượng sinh hoạt chi bộ"
        )
        quarters = []
        end = dt.date(2025, 9, 30)
        while end + dt.timedelta(days=7) <= today:
            quarters.append(end)
            end = periods.bounds("quarter", end + dt.timedelta(days=1))[1]
        income = programs.indicator_add(
            actor=None,
            objective=economy,
            name="Thu nhập bình quân đầu người",
            unit="triệu đồng",
            baseline=Decimal(68),
            target=Decimal(90),
            deadline=dt.date(2030, 12, 31),
        )
        for i, quarter in enumerate(quarters):
            programs.indicator_record(
                actor=None,
                indicator=income,
                period_end=quarter,
                value=Decimal(68) + Decimal(i) * Decimal("1.5"),
                on=quarter + dt.timedelta(days=7),
            )
        cells = list(Organization.objects.filter(parent=commune, kind="cell", status="active").order_by("name"))[:6]
        work = [
            ("Cứng hóa đường liên thôn", economy, dt.date(2027, 12, 31), [10, 20, 30, 40, 50]),
            ("Mỗi thôn một sản phẩm chủ lực", economy, dt.date(2028, 6, 30), [5, 10, 15, 20, 25]),
            ("Xây dựng thôn an toàn về an ninh, trật tự", security, dt.date(2026, 9, 30), [20, 40, 55, 70, 80]),
            ("Sinh hoạt chuyên đề hằng quý", party, dt.date(2030, 12, 31), [10, 15, 20, 25, 30]),
        ]
        for i, cell in enumerate(cells):
            secretary = Person.objects.filter(positions__organization=cell, positions__title="secretary").first()
            if secretary is None:
                continue
            title, objective, due, values = work[i % len(work)]
            task = programs.task_create(
                actor=None,
                program=program,
                title=f"{title} ({cell.name.removeprefix('Chi bộ ')})",
                organization=cell,
                responsible=secretary,
                starts_on=dt.date(2025, 7, 15),
                due_on=due,
                objective=objective,
            )
            lag = 0.5 if i == 1 else 1  # the second cell lags behind
            for quarter, value in zip(quarters, values, strict=False):
                programs.task_report_progress(
                    actor=None,
                    task=task,
                    period_end=quarter,
                    progress=Decimal(round(value * lag)),
                    narrative="Chi ủy đã họp, phân công đảng viên phụ trách; kết quả như báo cáo.",
                    on=quarter + dt.timedelta(days=7),
                )
            if i == 1 and quarters:
                programs.task_set_status(
                    actor=None,
                    task=task,
                    status="at_risk",
                    reason="Thiếu vốn đối ứng; đề nghị Đảng ủy xã chỉ đạo",
                    on=quarters[-1] + dt.timedelta(days=8),
                )
        programs.task_create(
            actor=None,
            program=program,
            title="Ban hành quy chế làm việc của Ban Chấp hành Đảng bộ xã nhiệm kỳ 2025 - 2030",
            organization=commune,
            responsible=leaders[2],
            starts_on=dt.date(2025, 7, 1),
            due_on=dt.date(2025, 9, 30),
            objective=party,
            deliverable="Quy chế làm việc",
        )

    def public_consultation(self, commune: Organization) -> None:
        """A draft of the new commune put to its people now (open for 36 days around today, R-PUB-4): citizens'
        opinions published, one waiting for moderation, one refused, one whose email link was never followed."""
        from dongthuan.consultations import services as consult
        from dongthuan.documents import services as docs
        from dongthuan.documents.models import DocumentType

        today = timezone.localdate()
        draft = docs.document_create(
            actor=None,
            organization=commune,
            doc_type=DocumentType.objects.get(name="Nghị quyết"),
            title="về xây dựng xã Bình Tuyền đạt chuẩn nông thôn mới nâng cao giai đoạn 2026 - 2030",
            field="Kinh tế - xã hội",
            sections=[
                {
                    "heading": "I. MỤC TIÊU",
                    "text": "Đến năm 2030, xã Bình Tuyền đạt chuẩn nông thôn mới nâng cao; thu nhập bình quân đầu người "
                    "đạt 90 triệu đồng/năm; 100% thôn có nhà văn hóa đạt chuẩn.",
                },
                {
                    "heading": "II. NHIỆM VỤ, GIẢI PHÁP",
                    "text": "1. Hoàn thiện hạ tầng giao thông nông thôn, cứng hóa 100% đường liên thôn.\n"
                    "2. Phát triển sản xuất nông nghiệp hàng hóa, mỗi thôn một sản phẩm chủ lực.\n"
                    "3. Bảo vệ môi trường, thu gom và xử lý rác thải sinh hoạt.",
                },
                {
                    "heading": "III. TỔ CHỨC THỰC HIỆN",
                    "text": "Các chi bộ thôn xây dựng kế hoạch thực hiện; Mặt trận và các đoàn thể vận động nhân dân "
                    "tham gia, giám sát.",
                },
            ],
        )
        consultation = consult.round_open(
            actor=None,
            document=draft,
            opens_on=today - dt.timedelta(days=20),
            closes_on=today + dt.timedelta(days=15),
            audiences=[("public", commune), ("members", commune)],
        )
        keys = [sec["key"] for sec in consultation.version.sections]
        said = [
            ("Nguyễn Văn Thành", keys[1], "Đề nghị ưu tiên làm đường liên thôn Thanh Lanh - Đồng Giang trước mùa mưa."),
            ("Trần Thị Mai", keys[1], "Cần có điểm tập kết rác ở mỗi thôn và lịch thu gom cố định trong tuần."),
            ("Lê Minh Hải", "", "Nhất trí với dự thảo; mong xã công khai tiến độ từng tiêu chí hằng quý."),
            ("Phạm Thu Hằng", keys[0], "Mục tiêu thu nhập 90 triệu đồng có tính cả người đi làm ở khu công nghiệp?"),
            ("Quảng cáo", "", "Mua bán đất nền giá rẻ, liên hệ 09xx."),
            ("Đỗ Văn Tùng", keys[2], "Chưa xác nhận email nên ý kiến này chưa đến cơ quan soạn thảo."),
        ]
        opinions = []
        for n, (name, key, text) in enumerate(said):
            tokens: list[str] = []
            opinion = consult.public_opinion_give(
                consultation=consultation,
                name=name,
                email=f"nguoidan{n}@example.vn",
                text=text,
                section_key=key,
                address=f"192.0.2.{n}",
                confirm_url=lambda token, tokens=tokens: tokens.append(token) or token,  # type: ignore[misc]
            )
            if n < 5:
                consult.public_opinion_confirm(token=tokens[0])
            opinions.append(opinion)
        for opinion in opinions[:3]:
            consult.opinion_moderate(actor=None, opinion=opinion, accept=True)
        consult.opinion_moderate(
            actor=None, opinion=opinions[4], accept=False, reason="Quảng cáo, không liên quan đến dự thảo."
        )

    def first_meeting(self, body: Any, members: list[Person]) -> None:
        """The new commune committee's first meeting: attendance, a resolution passed by open vote, a secret
        election of the inspection committee sealed by three tellers and a paper confidence vote ready to open, and the draft minutes, so
        that the demo shows a vote, lets one be held and the minutes be finished."""
        from dongthuan.meetings import services as meetings

        starts = dt.datetime(2025, 7, 5, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        meeting = meetings.meeting_create(
            actor=None,
            body=body,
            title="Hội nghị Ban Chấp hành Đảng bộ xã Bình Tuyền lần thứ nhất",
            starts_at=starts,
            place="Hội trường Đảng ủy xã Bình Tuyền",
            chair=members[0],
            clerk=self.trung_my_office_staff,
            guests=[self.trung_my_office_staff],
        )
        for person in members[:-1]:
            meetings.attendance_set(actor=None, meeting=meeting, person=person, status="present")
        meetings.attendance_set(actor=None, meeting=meeting, person=members[-1], status="excused", reason="Đi công tác")
        item = meetings.item_add(
            actor=None,
            meeting=meeting,
            title="Quy chế làm việc của Ban Chấp hành Đảng bộ xã nhiệm kỳ 2025 - 2030",
            kind="document",
        )
        meetings.opinion_add(
            actor=None,
            item=item,
            person=members[-2],
            text="Đề nghị bổ sung chế độ báo cáo định kỳ của các chi bộ thôn.",
        )
        poll = meetings.poll_open(
            actor=None,
            poll=meetings.poll_create(actor=None, item=item, question="Thông qua Quy chế làm việc", kind="open"),
        )
        for n, person in enumerate(members[:-1]):
            meetings.vote_cast(actor=None, poll=poll, person=person, choice="reject" if n == 1 else "approve")
        meetings.poll_close(actor=None, poll=poll)
        election = meetings.item_add(
            actor=None, meeting=meeting, title="Bầu Ủy ban Kiểm tra Đảng ủy xã", kind="election"
        )
        vote = meetings.poll_create(
            actor=None,
            item=election,
            question="Bầu Ủy ban Kiểm tra Đảng ủy xã",
            kind="secret",
            method="candidates",
            seats=4,
            tellers=members[:3],  # they hold the seal: each takes a code before it opens, two of three unseal it
        )
        for person in members[:5]:  # R-ELE-1: 5 candidates for 4 seats
            meetings.candidate_add(actor=None, poll=vote, person=person)
        confidence = meetings.item_add(
            actor=None, meeting=meeting, title="Lấy phiếu tín nhiệm Thường trực Đảng ủy", kind="confidence"
        )
        trust = meetings.poll_create(
            actor=None,
            item=confidence,
            question="Lấy phiếu tín nhiệm Thường trực Đảng ủy",
            kind="secret",
            method="confidence",
            paper=True,
            tellers=members[2:4],
        )
        for person in members[:2]:
            meetings.candidate_add(actor=None, poll=trust, person=person)
        meetings.minutes_generate(actor=None, meeting=meeting)  # the draft so far, for the office to edit


def ensure_logins(builder_logins: dict[str, Person] | None = None) -> None:
    User = get_user_model()
    for username, _label, role in LOGINS:
        user, _created = User.objects.get_or_create(username=username)
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = user.is_staff = role == "admin"
        user.save()
        if builder_logins and username in builder_logins:
            people.person_link_account(actor=None, person=builder_logins[username], account=user)


class Command(BaseCommand):
    help = "Build the Bình Xuyên demo political system (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's invitations and citizens' confirmation links are not printed (and sent before the command ends).
        quiet = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", BACKGROUND_JOBS="inline"
        )
        with quiet, transaction.atomic():
            if Organization.objects.filter(name=PROVINCE_NAME, parent__isnull=True).exists():
                self.stdout.write("Demo data already present; checking the demo logins.")
                ensure_logins()
            else:
                builder = Builder()
                builder.build()
                builder.reorganise_2025()
                portal_demo.build(
                    district=builder.district,
                    communes=[Organization.objects.get(name=f"Đảng bộ xã {name}") for name, _olds in NEW_COMMUNES],
                    office=None,
                    publisher=None,
                )
                tasks_flag_overdue()  # the daily follow-up, as if it had run this morning
                ensure_logins(builder.logins)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {Organization.objects.count()} organisations, {Person.objects.count()} people."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, label, _role in LOGINS:
            self.stdout.write(f"  {username:<18} {label}")
