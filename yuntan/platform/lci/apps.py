from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LciConfig(AppConfig):
    name = "yuntan.platform.lci"
    label = "lci"
    verbose_name = _("Background LCI databases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yuntan.platform.lci import access_rules  # noqa: F401  (registers the rules)
