from django.contrib import admin

from yuntan.platform.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin[Job]):
    list_display = ("title", "status", "done", "total", "created_by", "created_at")
    list_filter = ("status", "backend")
    readonly_fields = [field.name for field in Job._meta.get_fields()]

    def has_add_permission(self, request: object) -> bool:
        return False
