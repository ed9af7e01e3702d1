from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "yuntan.platform.verification"
    label = "verification"
    verbose_name = _("Verification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yuntan.platform.verification import access_rules  # noqa: F401  (the rules)
