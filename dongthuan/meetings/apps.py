from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "dongthuan.meetings"
    label = "meetings"
    verbose_name = _("Hội nghị, biểu quyết")

    def ready(self) -> None:
        from dongthuan.documents import decisions
        from dongthuan.meetings.selectors import decisions_on_document

        decisions.register(decisions_on_document)
