"""The rich-text editor with an accessible name: Wagtail's Draftail leaves its editable area unnamed.

axe's ``aria-input-field-name``: a screen reader announced an anonymous "edit text" for every rich-text
field. Draftail takes ``ariaLabelledBy``; Wagtail renders each field's label with the id
``<field id>-label`` (its panels' templates), so the area is named by the label the sighted editor reads.
(Rich text inside a StreamField block would be drawn by Wagtail's script with ids it makes up and stay
unnamed; the platform's blocks use plain text.)
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from wagtail.admin.rich_text import DraftailRichTextArea


class LabelledDraftailRichTextArea(DraftailRichTextArea):
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        if field_id:
            options = {**self.options, "ariaLabelledBy": f"{field_id}-label"}
            context["widget"]["attrs"]["data-w-init-detail-value"] = json.dumps(options, cls=DjangoJSONEncoder)
        return context
