from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiesConfig(AppConfig):
    name = "yuntan.platform.studies"
    label = "studies"
    verbose_name = _("Products and studies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yuntan.platform.studies import access_rules  # noqa: F401  (registers the rules)
