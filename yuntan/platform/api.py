"""The JSON API (django-ninja): one NinjaAPI, one router per app."""

from __future__ import annotations

from ninja import NinjaAPI

from yuntan.platform.checkdata.api import router as checkdata_router
from yuntan.platform.factors.api import router as factors_router
from yuntan.platform.front.api import router as front_router
from yuntan.platform.jobs.api import router as jobs_router

api = NinjaAPI(title="Yuntan API", version="0.1", urls_namespace="api")
api.add_router("", front_router)
api.add_router("", factors_router)
api.add_router("", jobs_router)
api.add_router("", checkdata_router)
