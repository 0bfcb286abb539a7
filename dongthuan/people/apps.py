from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "dongthuan.people"
    label = "people"
    verbose_name = _("Cán bộ, đảng viên, công dân")
