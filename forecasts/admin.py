from django.contrib import admin

from forecasts import services
from forecasts.models import (
    Clarification,
    Entry,
    Question,
    ResolutionEvent,
    Score,
    Tag,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse ledger rows; nobody adds, changes or deletes them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ClarificationInline(admin.TabularInline):
    model = Clarification
    fields = ("created_at", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("slug", "title", "kind", "status_display", "close_time")
    list_filter = ("kind", "tags")
    search_fields = ("slug", "title")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ClarificationInline]
    actions = ["publish"]
    list_select_related = ("head",)

    @admin.display(description="status")
    def status_display(self, obj):
        return obj.status()

    def save_model(self, request, obj, form, change):
        if not change:
            services.create_question(instance=obj, publish=False)
            return
        fields = {n: form.cleaned_data[n] for n in form.changed_data if n != "tags"}
        services.update_question(question=obj, **fields)

    @admin.action(description="Publish selected questions now")
    def publish(self, request, queryset):
        for question in queryset:
            services.publish_question(question=question)


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("question", "sequence", "user", "probabilities_bp", "created_at")
    list_filter = ("question",)
    list_select_related = ("question", "user")
    search_fields = ("question__slug", "user__username", "hash")


@admin.register(ResolutionEvent)
class ResolutionEventAdmin(ReadOnlyAdmin):
    list_display = ("question", "version", "outcome", "annulled", "effective_at")
    list_select_related = ("question",)


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ("question", "user", "resolution", "brier", "time_averaged_brier")
    list_select_related = ("question", "user", "resolution")


admin.site.register(Tag)
