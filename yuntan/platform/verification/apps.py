from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "yuntan.platform.verification"
    label = "verification"
    verbose_name = _("Verification")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yuntan.platform.studies.updates import factor_update_proposed
        from yuntan.platform.verification import access_rules  # noqa: F401  (the rules)
        from yuntan.platform.verification.factor_updates import on_factor_update_proposed

        factor_update_proposed.connect(on_factor_update_proposed,
                                       dispatch_uid="verification.factor_update_proposed")
