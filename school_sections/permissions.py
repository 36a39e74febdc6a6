"""What nobody may do to a mandatory section (clause 3.1): delete, move, unpublish or copy it,
hide it behind a password or log-in (clause 1.1: the site is public), or reorder the sections.

Wagtail asks a page's permission tester before every such action, in the editor,
in bulk actions and in the move/copy choosers, so refusing here refuses
everywhere; the editor hides the actions and the section's edit form says why.
The home page holds the sections, so it is protected the same way.
"""

from wagtail.models import PagePermissionTester


class ProtectedPagePermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk=False):
        return False

    def can_unpublish(self):
        return False

    def can_move(self):
        return False

    def can_copy(self):
        return False

    def can_copy_to(self, destination, recursive=False):
        return False

    def can_move_to(self, destination):
        return False

    def can_set_view_restrictions(self):
        return False

    def can_reorder_children(self):
        return False  # the sections keep the catalogue's order
