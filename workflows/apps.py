from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Responsibility and publishing")

    def ready(self):
        from wagtail.signals import workflow_submitted

        from workflows.screening.signals import screen_on_submission

        workflow_submitted.connect(screen_on_submission, dispatch_uid="workflows.screen_on_submission")
