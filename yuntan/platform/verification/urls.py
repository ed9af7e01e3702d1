from django.urls import path

from yuntan.platform.verification import views

app_name = "verification"

urlpatterns = [
    path("", views.verification_list, name="list"),
    path("notifications/", views.notifications, name="notifications"),
    path("<int:pk>/", views.verification_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
    path("studies/<int:study_pk>/submit/", views.submit_study, name="submit"),
    path("findings/<int:pk>/<slug:action>/", views.act_on_finding, name="finding"),
]
