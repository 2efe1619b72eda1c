"""The comments section of the question page, and the 429 page of comment forms."""

import math

from django.shortcuts import render

from discussion.forms import CommentForm
from discussion.selectors import ORDERS, question_comments, threads


def comments_context(request, question, form=None) -> dict:
    """Return the question page's comment threads and, for a logged-in user, a form."""
    order = request.GET.get("order")
    order = order if order in ORDERS else "oldest"
    comment_threads = threads(question_comments(question, order=order), request.user)
    reply_to = _reply_to(request, comment_threads)
    if form is None and request.user.is_authenticated:
        form = CommentForm(initial={"parent": reply_to.pk if reply_to else None})
    return {
        "comment_threads": comment_threads,
        "comment_count": sum(1 + len(t.replies) for t in comment_threads),
        "comment_order": order,
        "comment_form": form,
        "reply_to": reply_to,
    }


def _reply_to(request, comment_threads):
    wanted = request.POST.get("parent") or request.GET.get("reply")
    for thread in comment_threads:
        if str(thread.comment.pk) == wanted and not thread.comment.deleted:
            return thread.comment
    return None


def too_many(request, throttle, what: str):
    """Return the 429 page, with Retry-After when the wait is known."""
    wait = throttle.wait()
    seconds = math.ceil(wait) if wait else None
    context = {"seconds": seconds, "what": what}
    response = render(request, "discussion/throttled.html", context, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
