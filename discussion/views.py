"""Comment forms of the question page: post, edit within 15 minutes, delete."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from discussion import services
from discussion.forms import CommentForm
from discussion.pages import comments_context, too_many
from discussion.selectors import can_edit, visible_comments
from discussion.throttles import CommentThrottle
from forecasts.selectors.questions import visible_questions
from forecasts.views.questions import QUESTION_TEMPLATE, question_context


@require_POST
def post_comment(request, slug):
    """Add the posted comment, or show the question page with the form's errors."""
    question = get_object_or_404(visible_questions(request.user), slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("forecasts:question", args=[slug]))
    throttle = CommentThrottle()
    if not throttle.allow_request(request, None):
        return too_many(request, throttle, "comments")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.post_comment(
                question=question, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect(_anchor(comment))
    context = question_context(request, question)
    context.update(comments_context(request, question, form=form))
    return render(request, QUESTION_TEMPLATE, context, status=400)


@require_http_methods(["GET", "POST"])
def edit_comment(request, pk):
    """Show one's comment in a form and save the change, within 15 minutes."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    comment = get_object_or_404(visible_comments(request.user), pk=pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied("Only the author edits a comment.")
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    form.fields.pop("parent")
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Comment edited.")
            return redirect(_anchor(comment))
    context = {
        "comment": comment,
        "form": form,
        "editable": can_edit(comment, request.user, timezone.now()),
    }
    status = 400 if form.errors else 200
    return render(request, "discussion/edit.html", context, status=status)


@require_POST
def delete_comment(request, pk):
    """Delete a comment (its author or staff), then go back to the question."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("forecasts:questions"))
    comment = get_object_or_404(visible_comments(request.user), pk=pk)
    services.delete_comment(comment=comment, user=request.user)
    messages.success(request, "Comment deleted.")
    return redirect(_anchor(comment))


def _anchor(comment) -> str:
    question = reverse("forecasts:question", args=[comment.question.slug])
    return f"{question}#comment-{comment.pk}"
