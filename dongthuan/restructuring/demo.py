"""The demo's reorganisation of 1 July 2025, as dated events through the same services the reorganisation pages
use: the district office's cell joins the province office's, the thirteen communes and towns merge into three new
communes under the province, the district is dissolved with its units, and Vĩnh Phúc merges into Phú Thọ."""

from __future__ import annotations

import datetime as dt

from dongthuan.core.demo import DemoContext
from dongthuan.organizations.models import OrganizationKind
from dongthuan.people.demo import NEW_COMMUNES, REORGANISED_ON, organization
from dongthuan.restructuring import services as rs


def reorganisation_2025(demo: DemoContext) -> None:
    """Reads the 2017 system (``province``, ``district``, their office cells, ``communes``, ``levels``). Leaves
    ``phu_tho``, the province committee that takes over."""
    on, lv = REORGANISED_ON, demo.levels
    province_basis = "Nghị quyết 202/2025/QH15"
    commune_basis = "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã năm 2025"
    apply = rs.restructuring_apply
    apply(
        actor=None,
        reason="Kết thúc hoạt động cấp huyện; cán bộ văn phòng chuyển về Tỉnh ủy",
        legal_basis=commune_basis,
        plan=rs.plan_merge(sources=[demo.district_office_cell], target=demo.province_office_cell, on=on),
    )
    for new_name, olds in NEW_COMMUNES:
        place = f"xã {new_name}"
        apply(
            actor=None,
            reason="Sắp xếp đơn vị hành chính cấp xã",
            legal_basis=commune_basis,
            plan=rs.plan_merge(
                sources=[demo.communes[o] for o in olds],
                on=on,
                new=rs.NewOrg(
                    name=f"Đảng bộ {place}",
                    kind=OrganizationKind.GRASSROOTS,
                    level=lv["commune"],
                    parent=demo.province,
                    short_name=f"Đảng ủy {place}",
                    doc_code="ĐU",
                ),
            ),
        )
    apply(
        actor=None,
        reason="Không tổ chức cấp huyện từ 01/07/2025",
        legal_basis=commune_basis,
        plan=rs.plan_dissolve(org=demo.district, on=on, with_units=True),
    )
    demo.phu_tho = organization(
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
        plan=rs.plan_merge(sources=[demo.province], target=demo.phu_tho, on=on),
    )
