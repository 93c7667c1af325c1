from django.contrib import admin

from kizuna.identity.models import ApiKey, Interest, Member


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    list_display = ["email", "display_name", "staff_role", "is_active", "date_joined"]
    list_filter = ["staff_role", "is_active"]
    search_fields = ["email", "display_name", "company_name"]
    exclude = ["password"]


admin.site.register(Interest)
admin.site.register(ApiKey)
