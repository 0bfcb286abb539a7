from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "dongthuan.audit"
    label = "audit"
    verbose_name = _("Nhật ký thay đổi")

    def ready(self) -> None:
        from dongthuan.audit.services import audit_record, diff, snapshot
        from dongthuan.core import history

        history.register(record=audit_record, snapshot=snapshot, diff=diff)
