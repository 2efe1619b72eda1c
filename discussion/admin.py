from django.contrib import admin

from discussion.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Browse comments; staff delete them on the question page, which keeps replies."""

    list_display = ("pk", "question", "author", "created_at", "deleted_at")
    list_select_related = ("question", "author")
    search_fields = ("body", "author__username", "question__slug")
    fields = ("question", "author", "parent", "body", "created_at", "edited_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
