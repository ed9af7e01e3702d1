from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yuntan.platform.accounts"
    label = "accounts"
    verbose_name = _("Organisations and people")
    default_auto_field = "django.db.models.BigAutoField"
