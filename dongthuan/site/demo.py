"""The Bình Xuyên demo, told in order.

Each app writes its own part of the story through its own services, in its own ``demo.py`` (the portal in
``portal/demo/``), as steps taking the shared ``DemoContext`` (``core/demo.py``); this module only says in which
order they come, and gives the demo logins. The story is told as it happened, so an app whose part comes back later
in it has a step each time: the 2017 resolution is drafted (documents), put to consultation (consultations), voted
(meetings) and only then issued (documents) and carried out (programs); the reorganisation of 1 July 2025 comes
after all of that, and the new commune's meeting, consultation and program after it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

from dongthuan.consultations import demo as consultations
from dongthuan.core.demo import DemoContext
from dongthuan.documents import demo as documents
from dongthuan.meetings import demo as meetings
from dongthuan.organizations.models import Organization
from dongthuan.people import demo as people_demo
from dongthuan.people import services as people
from dongthuan.people.models import Person
from dongthuan.portal import demo as portal_demo
from dongthuan.programs import demo as programs
from dongthuan.restructuring import demo as restructuring

DEMO_PASSWORD = "dongthuan"  # noqa: S105 - demo logins only; printed by the command

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


def portal(demo: DemoContext) -> None:
    """The public portal of the district (its source article) and of the three new communes."""
    portal_demo.build(
        district=demo.district,
        communes=[Organization.objects.get(name=f"Đảng bộ xã {name}") for name, _olds in people_demo.NEW_COMMUNES],
        office=None,
        publisher=None,
    )


Step = Callable[[DemoContext], None]

STORY: tuple[Step, ...] = (
    # 2017: the district and its communes, and the article's resolution from draft to issue and to its program.
    people_demo.political_system_2017,
    documents.renewal_resolution_drafted,
    consultations.renewal_resolution_consulted,
    meetings.renewal_resolution_passed,
    documents.renewal_resolution_issued,
    programs.action_program_2017,
    # 1 July 2025: the district level ends, the communes merge; the new leaderships.
    restructuring.reorganisation_2025,
    people_demo.leaderships_2025,
    # Bình Tuyền today: its committee's first meeting, its draft put to its people, the program it follows.
    meetings.first_meeting_2025,
    documents.public_draft_2025,
    consultations.public_consultation_2025,
    programs.current_program_2025,
    # The public portal, then this morning's follow-up of the programs.
    portal,
    programs.follow_up,
)


def demo_present() -> bool:
    return people_demo.demo_present()


def build() -> dict[str, Person]:
    """Tell the whole story on an empty database; returns the person behind each demo login."""
    demo = DemoContext()
    for step in STORY:
        step(demo)
    logins: dict[str, Person] = demo.logins
    return logins


def ensure_logins(persons: dict[str, Any] | None = None) -> None:
    """Every demo login exists with the demo password (the administrator's is staff and superuser), linked to the
    person behind it when the demo was just built."""
    User = get_user_model()
    for username, _label, role in LOGINS:
        user, _created = User.objects.get_or_create(username=username)
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = user.is_staff = role == "admin"
        user.save()
        if persons and username in persons:
            people.person_link_account(actor=None, person=persons[username], account=user)
