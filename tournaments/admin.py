from django.contrib import admin, messages

from tournaments import services
from tournaments.models import Tournament


@admin.register(Tournament)
class TournamentAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "visibility", "start_time", "end_time")
    list_filter = ("visibility",)
    search_fields = ("slug", "title")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("questions",)
    autocomplete_fields = ("members",)
    readonly_fields = ("invite_token",)
    actions = ["rotate_invite"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Questions or visibility may have changed what the site-wide
        # standings count.
        services.refresh_site_standings()

    @admin.action(description="Rotate the invite token (old links stop working)")
    def rotate_invite(self, request, queryset):
        for tournament in queryset:
            services.rotate_invite(tournament=tournament)
        messages.success(request, f"Rotated {len(queryset)} invite token(s).")
