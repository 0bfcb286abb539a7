"""Quantities as people type them in Vietnamese ("12,5", "1.250", "12.5 ha", "95 %"): read by the programs'
forms and by the import of indicator values alike."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from dongthuan.core.text import fold

NUMBER = re.compile(r"^\s*(-?[\d.,\s]*\d)\s*(.*?)\s*$")


def parse_quantity(text: str, unit: str = "") -> Decimal:
    """A number as typed ("12,5", "1.250", "12.5 ha", "95 %"), refused when it names a unit other than ``unit``."""
    found = NUMBER.match(text or "")
    if not found:
        raise ValidationError(_("Nhập một số, ví dụ 12,5."), code="number")
    digits, suffix = found.group(1).replace(" ", ""), found.group(2)
    if suffix and unit and fold(suffix).replace(" ", "") != fold(unit).replace(" ", ""):
        raise ValidationError(
            _("Chỉ tiêu này tính bằng “%(unit)s”; không nhận giá trị “%(typed)s”.") % {"unit": unit, "typed": text},
            code="unit",
        )
    if suffix and not unit:
        raise ValidationError(_("Nhập một số, ví dụ 12,5."), code="number")
    if "," in digits:  # Vietnamese: dots group thousands, the comma marks decimals
        digits = digits.replace(".", "").replace(",", ".")
    elif digits.count(".") > 1 or re.fullmatch(r"-?\d{1,3}(\.\d{3})+", digits):
        digits = digits.replace(".", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise ValidationError(_("Nhập một số, ví dụ 12,5."), code="number") from None
    if abs(value) >= Decimal("1e13"):
        raise ValidationError(_("Số quá lớn."), code="number")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("Nhập tối đa 2 chữ số sau dấu phẩy."), code="number")
    return value
