from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckDataConfig(AppConfig):
    name = "yuntan.platform.checkdata"
    label = "checkdata"
    verbose_name = _("Cross-check data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yuntan.platform.checkdata import access_rules  # noqa: F401  (registers the rules)
