from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulePacksConfig(AppConfig):
    name = "yuntan.platform.rulepacks"
    label = "rulepacks"
    verbose_name = _("Rule packs")
