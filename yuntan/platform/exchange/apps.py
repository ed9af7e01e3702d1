from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "yuntan.platform.exchange"
    label = "exchange"
    verbose_name = _("Supply-chain exchange (PACT)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from yuntan.platform.exchange import access_rules  # noqa: F401  (registers the rules)
        from yuntan.platform.exchange.services import deprecate_on_revocation
        from yuntan.platform.labels.actions import label_revoked

        label_revoked.connect(deprecate_on_revocation, dispatch_uid="exchange-label-revoked")
