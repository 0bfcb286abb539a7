from django import template

from dongthuan.portal.models import Section

register = template.Library()


@register.simple_tag
def portal_sections() -> list[Section]:
    """The portal's sections for its navigation (every public page, including the consultations')."""
    return list(Section.objects.all())
