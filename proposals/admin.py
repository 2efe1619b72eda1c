from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from forecasts.admin_forms import RangeAdminForm
from proposals import services
from proposals.models import Proposal


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Staff edit pending proposals here; accepting publishes the question."""

    form = RangeAdminForm
    list_display = ("title", "author", "status", "created_at", "question")
    list_filter = ("status",)
    search_fields = ("title", "slug", "author__username")
    list_select_related = ("author", "question")
    readonly_fields = (
        "author",
        "status",
        "decline_reason",
        "question",
        "created_at",
        "decided_at",
        "decided_by",
    )
    actions = ["accept"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.status == Proposal.PENDING
        )

    @admin.action(description="Accept and publish the selected proposals")
    def accept(self, request, queryset):
        for proposal in queryset:
            try:
                services.accept_proposal(proposal=proposal, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{proposal}: {'; '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, f"{proposal}: published.")
