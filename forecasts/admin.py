from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse

from forecasts import services
from forecasts.admin_forms import RangeAdminForm
from forecasts.forms import ResolveForm
from forecasts.models import (
    Clarification,
    Entry,
    Notification,
    NotificationSettings,
    PracticeRemoval,
    Question,
    ResolutionEvent,
    Score,
    Tag,
)
from forecasts.selectors.pages_questions import forecasters_before
from forecasts.selectors.scores import question_result


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
    form = RangeAdminForm
    list_display = ("slug", "title", "kind", "status_display", "close_time")
    list_filter = ("kind", "tags")
    search_fields = ("slug", "title")
    prepopulated_fields = {"slug": ("title",)}
    # Shown, never editable: only the practice-set loader sets it (see Question).
    readonly_fields = ("practice",)
    inlines = [ClarificationInline]
    actions = ["publish", "resolve"]
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

    @admin.action(description="Resolve, annul or re-resolve the selected question…")
    def resolve(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select one question.", messages.WARNING)
            return None
        question = queryset.select_related("head").get()
        applying = "apply" in request.POST
        form = ResolveForm(request.POST if applying else None, question=question)
        if form.is_valid():
            try:
                event = services.resolve_question(
                    question=question,
                    user=request.user,
                    re_resolve=question.head.resolutions > 0,
                    expected_version=int(request.POST.get("version", -1)),
                    **form.service_arguments(),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except (PermissionDenied, services.ResolutionConflict) as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            else:
                done = "Annulled" if event.annulled else "Resolved"
                self.message_user(request, f"{done} “{question}” (v{event.version}).")
                return None
        return self.resolve_page(request, question, form)

    def resolve_page(self, request, question, form):
        """Return the action's form, with what resolving will do."""
        context = {
            **self.admin_site.each_context(request),
            "title": f"Resolve “{question}”",
            "opts": self.model._meta,
            "question": question,
            "form": form,
            "previous": question_result(question).resolution,
            "forecasters": forecasters_before(question, question.close_time),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "forecasts/admin_resolve.html", context)


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("question", "sequence", "user", "probabilities_bp", "created_at")
    list_filter = ("question",)
    list_select_related = ("question", "user")
    search_fields = ("question__slug", "user__username", "hash")
    # The salt opens the entry's hash: private to its author until
    # resolution, and then published in the question's ledger.json.
    exclude = ("salt",)


@admin.register(ResolutionEvent)
class ResolutionEventAdmin(ReadOnlyAdmin):
    list_display = ("question", "version", "outcome", "annulled", "effective_at")
    list_select_related = ("question",)


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ("question", "user", "resolution", "brier", "time_averaged_brier")
    list_select_related = ("question", "user", "resolution")


admin.site.register(Tag)


@admin.register(PracticeRemoval)
class PracticeRemovalAdmin(ReadOnlyAdmin):
    list_display = ("removed_at", "entries", "resolutions", "users")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Claims without a sent time are e-mails lost between claim and send."""

    list_display = ("user", "question", "kind", "version", "claimed_at", "sent_at")
    list_filter = ("kind", ("sent_at", admin.EmptyFieldListFilter))
    list_select_related = ("user", "question")


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "resolution_emails", "reminder_emails")
    list_select_related = ("user",)
