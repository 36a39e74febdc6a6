from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Responsibility and publishing")

    def ready(self):
        from wagtail.signals import workflow_submitted

        from school_sections.hooks import completeness_rule_register, publication_check_register
        from workflows.names import names_connect
        from workflows.publication import publication_check, sections_without_responsible
        from workflows.screening.signals import screen_on_submission

        workflow_submitted.connect(screen_on_submission, dispatch_uid="workflows.screen_on_submission")
        publication_check_register(publication_check)
        completeness_rule_register(sections_without_responsible)
        names_connect()
