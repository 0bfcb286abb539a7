from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestructuringConfig(AppConfig):
    name = "dongthuan.restructuring"
    label = "restructuring"
    verbose_name = _("Sắp xếp, kiện toàn tổ chức")

    def ready(self) -> None:
        # Who may read an organisation follows its reorganisations, and its page shows them: the organisations app
        # reads them through these two registries of its own.
        from dongthuan.organizations import pages, succession
        from dongthuan.restructuring.selectors import organization_page, predecessor_ids, successor_ids

        succession.register(successors=successor_ids, predecessors=predecessor_ids)
        pages.register("restructuring", organization_page)
