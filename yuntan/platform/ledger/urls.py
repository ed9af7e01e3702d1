from django.urls import path

from yuntan.platform.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.entries, name="entries"),
    path("keys/", views.keys, name="keys"),
    path("checkpoints/<int:number>.json", views.checkpoint_json, name="checkpoint"),
]
