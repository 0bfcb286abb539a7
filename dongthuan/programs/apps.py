from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "dongthuan.programs"
    label = "programs"
    verbose_name = _("Chương trình hành động")

    def ready(self) -> None:
        from dongthuan.programs.services import follow_reorganisation, restore_reorganisation
        from dongthuan.restructuring import hooks

        hooks.register("programs", forward=follow_reorganisation, backward=restore_reorganisation)
