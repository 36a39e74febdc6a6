"""The school's editors see what the regulation still misses on their dashboard (issue: completeness)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from school_sections.selectors import school_completeness


class CompletenessPanel(Component):
    name = "regulation_completeness"
    order = 50
    template_name = "school_sections/admin/completeness_panel.html"

    def get_context_data(self, parent_context):
        return {"completeness": school_completeness(), "heading": _("What the regulation still asks of this site")}


@hooks.register("construct_homepage_panels")
def add_completeness_panel(request, panels):
    panels.append(CompletenessPanel())
