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

        from dongthuan.exchange import importers
        from dongthuan.exchange.models import ImportKind
        from dongthuan.programs.importers import IndicatorValueImport, TaskImport, indicator_value_rows, task_rows
        from dongthuan.programs.permissions import can_view_dashboard

        # Tasks and indicator values go out to those who follow the organisation's results.
        importers.register(ImportKind.TASKS, TaskImport, task_rows, may_export=can_view_dashboard)
        importers.register(
            ImportKind.INDICATOR_VALUES, IndicatorValueImport, indicator_value_rows, may_export=can_view_dashboard
        )
