"""The political system as data: levels, organisations in a dated tree, bodies, terms and positions held."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dongthuan.rules.organization import LevelSpan

PATH_SEGMENT_WIDTH = 7  # "0000042." — ids up to 9,999,999; a subtree is one prefix scan on ``path``


class Level(models.Model):
    """A tier of the political system (province, district, commune). Data, not code (R-ORG-4): the district
    tier exists until 30/06/2025 and not after."""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên cấp"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), help_text=_("1 là cấp cao nhất."))
    valid_from = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("có hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("cấp hành chính")
        verbose_name_plural = pgettext_lazy("plural", "các cấp hành chính")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name

    def span(self) -> LevelSpan:
        return LevelSpan(code=self.code, rank=self.rank, valid_from=self.valid_from, valid_to=self.valid_to)


class OrganizationKind(models.TextChoices):
    PARTY = "party", _("Đảng bộ (tỉnh, huyện)")
    GRASSROOTS = "grassroots", _("Tổ chức cơ sở đảng")
    CELL = "cell", _("Chi bộ")
    GOVERNMENT = "government", _("Cơ quan chính quyền")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
    FRONT = "front", _("Mặt trận Tổ quốc")
    MASS_ORG = "mass_org", _("Đoàn thể chính trị - xã hội")


PARTY_KINDS = (OrganizationKind.PARTY, OrganizationKind.GRASSROOTS, OrganizationKind.CELL)


class OrganizationStatus(models.TextChoices):
    FORMING = "forming", _("Đang kiện toàn")
    ACTIVE = "active", _("Đang hoạt động")
    DISSOLVED = "dissolved", _("Đã giải thể")


class PartyStatus(models.TextChoices):
    """Where a person stands in the party: full members count for a cell's minimum and its votes (R-ORG-1)."""

    NONE = "", _("Không phải đảng viên")
    PROBATIONARY = "probationary", _("Đảng viên dự bị")
    FULL = "full", _("Đảng viên chính thức")
    FORMER = "former", _("Đã ra khỏi Đảng")


class PersonRecord(Protocol):
    """What this app reads of a person (the people app's ``Person``, which sits above organisations and is named
    here only through ``Position.person``): who holds a post, and whose account it is."""

    @property
    def pk(self) -> int: ...
    @property
    def full_name(self) -> str: ...
    @property
    def cell_id(self) -> int | None: ...
    @property
    def cell(self) -> Organization | None: ...
    @property
    def is_party_member(self) -> bool: ...


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def in_force(self, on: dt.date) -> OrganizationQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def subtree_of(self, org: Organization, include_self: bool = True) -> OrganizationQuerySet:
        qs = self.filter(path__startswith=org.path)
        return qs if include_self else qs.exclude(pk=org.pk)


class Organization(models.Model):
    """An organisation of the political system, in a dated tree kept as a materialised path."""

    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=OrganizationKind.choices)
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="organizations", verbose_name=_("cấp")
    )
    doc_code = models.CharField(
        _("ký hiệu văn bản"), max_length=20, blank=True, help_text=_("TU, HU, ĐU, CB… dùng trong số, ký hiệu văn bản.")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("trực thuộc")
    )
    path = models.CharField(_("đường dẫn cây"), max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("độ sâu"), default=0, editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=OrganizationStatus.choices, default=OrganizationStatus.ACTIVE
    )
    valid_from = models.DateField(_("thành lập từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)
    search_name = models.CharField(max_length=255, editable=False, default="", db_index=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = pgettext_lazy("plural", "tổ chức")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="organization_valid_range",
                violation_error_message=_("Ngày kết thúc hoạt động không thể trước ngày thành lập."),
            ),
        ]
        indexes = [models.Index(fields=["parent", "kind", "search_name"], name="org_children_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_party(self) -> bool:
        return self.kind in PARTY_KINDS

    @property
    def is_cell(self) -> bool:
        return self.kind == OrganizationKind.CELL

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path (no query)."""
        return [int(seg) for seg in self.path.split(".") if seg][:-1]

    def in_force(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


class ParentLinkQuerySet(models.QuerySet["ParentLink"]):
    def in_force(self, on: dt.date) -> ParentLinkQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class ParentLink(models.Model):
    """Where an organisation sat in the tree, and when: the dated history behind ``Organization.parent``.

    ``Organization.parent`` and ``path`` hold today's place (fast subtree queries); these rows let the tree be
    browsed as of any date (the 2017 three-level structure and today's two-level one)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="parent_links", verbose_name=_("tổ chức")
    )
    parent = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="child_links",
        verbose_name=_("trực thuộc"),
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = ParentLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("quan hệ trực thuộc")
        verbose_name_plural = pgettext_lazy("plural", "quan hệ trực thuộc")
        ordering = ["organization", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="parentlink_valid_range",
                violation_error_message=_("Ngày kết thúc không thể trước ngày bắt đầu."),
            ),
            models.UniqueConstraint(
                fields=["organization"], condition=Q(valid_to__isnull=True), name="parentlink_one_open_per_org"
            ),
        ]
        indexes = [models.Index(fields=["parent", "valid_from", "valid_to"], name="parentlink_parent_idx")]

    def __str__(self) -> str:
        return f"{self.organization} → {self.parent or '—'}"


class Term(models.Model):
    """Nhiệm kỳ (R-ORG-3): from the day after one congress closes to the close of the next."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="terms", verbose_name=_("tổ chức")
    )
    name = models.CharField(_("tên nhiệm kỳ"), max_length=100, help_text=_("Ví dụ: 2015 - 2020"))
    congress_closed_on = models.DateField(_("ngày bế mạc đại hội"), null=True, blank=True)
    start = models.DateField(_("bắt đầu"))
    end = models.DateField(_("kết thúc"), null=True, blank=True, help_text=_("Ngày bế mạc đại hội nhiệm kỳ sau."))

    class Meta:
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = pgettext_lazy("plural", "nhiệm kỳ")
        ordering = ["organization", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="term_valid_range",
                violation_error_message=_("Ngày kết thúc nhiệm kỳ không thể trước ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return _("Nhiệm kỳ %(name)s") % {"name": self.name}


class BodyKind(models.TextChoices):
    COMMITTEE = "committee", _("Ban Chấp hành")
    STANDING_COMMITTEE = "standing_committee", _("Ban Thường vụ")
    INSPECTION_COMMITTEE = "inspection_committee", _("Ủy ban Kiểm tra")
    CELL_COMMITTEE = "cell_committee", _("Chi ủy")
    LEADERSHIP = "leadership", _("Lãnh đạo cơ quan")
    OFFICE = "office", _("Văn phòng")


class Body(models.Model):
    """A body of an organisation that holds members: committee, standing committee, inspection committee…"""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="bodies", verbose_name=_("tổ chức")
    )
    kind = models.CharField(_("loại"), max_length=32, choices=BodyKind.choices)
    name = models.CharField(_("tên"), max_length=255)
    term = models.ForeignKey(
        Term, on_delete=models.PROTECT, null=True, blank=True, related_name="bodies", verbose_name=_("nhiệm kỳ")
    )
    settings = models.JSONField(
        _("quy chế làm việc"), default=dict, blank=True, help_text=_("Các giá trị riêng theo quy chế làm việc.")
    )

    class Meta:
        verbose_name = _("cơ quan lãnh đạo")
        verbose_name_plural = pgettext_lazy("plural", "cơ quan lãnh đạo")
        ordering = ["organization", "kind", "id"]

    def __str__(self) -> str:
        return self.name


class PositionTitle(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
    STANDING_MEMBER = "standing_member", _("Ủy viên Ban Thường vụ")
    MEMBER = "member", _("Ủy viên")
    CHAIR = "chair", _("Chủ nhiệm / Chủ tịch")
    DEPUTY_CHAIR = "deputy_chair", _("Phó Chủ nhiệm / Phó Chủ tịch")
    HEAD = "head", _("Trưởng")
    DEPUTY_HEAD = "deputy_head", _("Phó Trưởng")
    OFFICE_STAFF = "office_staff", _("Cán bộ văn phòng")
    STAFF = "staff", _("Cán bộ, chuyên viên")


# The order in which posts and bodies are listed: the head first.
POSITION_ORDER = [
    PositionTitle.SECRETARY,
    PositionTitle.CHAIR,
    PositionTitle.HEAD,
    PositionTitle.DEPUTY_SECRETARY,
    PositionTitle.DEPUTY_CHAIR,
    PositionTitle.DEPUTY_HEAD,
    PositionTitle.STANDING_MEMBER,
    PositionTitle.MEMBER,
    PositionTitle.OFFICE_STAFF,
    PositionTitle.STAFF,
]
BODY_KIND_ORDER = [
    BodyKind.COMMITTEE,
    BodyKind.STANDING_COMMITTEE,
    BodyKind.INSPECTION_COMMITTEE,
    BodyKind.CELL_COMMITTEE,
    BodyKind.LEADERSHIP,
    BodyKind.OFFICE,
]
ORGANIZATION_KIND_ORDER = [
    OrganizationKind.PARTY,
    OrganizationKind.GRASSROOTS,
    OrganizationKind.CELL,
    OrganizationKind.GOVERNMENT,
    OrganizationKind.FRONT,
    OrganizationKind.MASS_ORG,
    OrganizationKind.PUBLIC_SERVICE,
]


def rank_of(field: str, order: Sequence[str]) -> models.Case:
    """An expression ordering rows by the position of ``field``'s value in ``order``."""
    return models.Case(
        *[models.When(**{field: value}, then=models.Value(i)) for i, value in enumerate(order)],
        default=models.Value(len(order)),
        output_field=models.IntegerField(),
    )


class PositionQuerySet(models.QuerySet["Position"]):
    def current(self, on: dt.date | None = None) -> PositionQuerySet:
        if on is None:
            return self.filter(end__isnull=True)
        return self.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))


class Position(models.Model):
    """A post held by a person in an organisation (and, for elected posts, in one of its bodies)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="positions", verbose_name=_("người giữ chức vụ")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="positions", verbose_name=_("tổ chức")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="positions", verbose_name=_("cơ quan")
    )
    title = models.CharField(_("chức vụ"), max_length=32, choices=PositionTitle.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    end_reason = models.CharField(_("lý do thôi giữ"), max_length=255, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = pgettext_lazy("plural", "chức vụ")
        ordering = ["organization", "title", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="position_range",
                violation_error_message=_("Ngày kết thúc không thể trước ngày bắt đầu."),
            ),
            models.UniqueConstraint(
                fields=["body", "title"],
                condition=Q(end__isnull=True, title="secretary"),
                name="position_one_current_secretary_per_body",
                violation_error_message=_("Đã có bí thư đương nhiệm; hãy kết thúc chức vụ đó trước."),
            ),
            models.UniqueConstraint(
                fields=["person", "organization", "body", "title"],
                condition=Q(end__isnull=True),
                name="position_no_duplicate_current",
                violation_error_message=_("Người này đang giữ chức vụ này."),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "end"], name="position_person_idx"),
            models.Index(fields=["organization", "end"], name="position_org_idx"),
        ]

    def __str__(self) -> str:
        where = self.body.name if self.body_id and self.body else self.organization.name
        return f"{self.person.full_name}: {self.get_title_display()} – {where}"

    @property
    def is_current(self) -> bool:
        return self.end is None
