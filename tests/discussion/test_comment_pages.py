"""The question page's comments section works with plain HTML forms."""

from datetime import timedelta

from discussion.models import Comment
from discussion.services import post_comment
from tests.factories import UserFactory


def page(question) -> str:
    return f"/questions/{question.slug}/"


def test_a_visitor_reads_comments_and_is_asked_to_log_in(client, binary_question):
    post_comment(question=binary_question, author=UserFactory(), body="**Bold** take")
    html = client.get(page(binary_question)).content.decode()
    assert "<strong>Bold</strong> take" in html
    assert 'id="comment-form"' not in html and "to comment" in html


def test_a_comment_posted_from_the_page_appears_on_it(client, user, binary_question):
    client.force_login(user)
    url = f"/questions/{binary_question.slug}/comments/"
    response = client.post(url, {"body": "Looks unlikely."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page(binary_question)}#comment-{comment.pk}"
    html = client.get(page(binary_question)).content.decode()
    assert f'id="comment-{comment.pk}"' in html and "Looks unlikely." in html


def test_an_empty_comment_is_refused_next_to_the_field(client, user, binary_question):
    client.force_login(user)
    url = f"/questions/{binary_question.slug}/comments/"
    response = client.post(url, {"body": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index('id="comment-form"') :]
    assert "errorlist" in form and "This field is required." in form
    assert not Comment.objects.exists()


def test_a_reply_link_opens_the_form_as_a_reply(client, user, binary_question):
    top = post_comment(question=binary_question, author=UserFactory(), body="Top")
    client.force_login(user)
    html = client.get(page(binary_question), {"reply": top.pk}).content.decode()
    assert f"Reply to {top.author.username}" in html
    assert f'name="parent" value="{top.pk}"' in html
    url = f"/questions/{binary_question.slug}/comments/"
    client.post(url, {"body": "Agreed", "parent": top.pk})
    assert Comment.objects.get(body="Agreed").parent == top


def test_a_reply_to_a_reply_is_refused_on_the_page(client, user, binary_question):
    top = post_comment(question=binary_question, author=user, body="Top")
    reply = post_comment(question=binary_question, author=user, body="R", parent=top.pk)
    client.force_login(user)
    url = f"/questions/{binary_question.slug}/comments/"
    response = client.post(url, {"body": "Deeper", "parent": reply.pk})
    assert response.status_code == 400
    assert "one level deep" in response.content.decode()
    assert Comment.objects.count() == 2


def test_own_comments_carry_edit_and_delete_and_others_do_not(
    client, user, binary_question
):
    mine = post_comment(question=binary_question, author=user, body="Mine")
    theirs = post_comment(question=binary_question, author=UserFactory(), body="No")
    client.force_login(user)
    html = client.get(page(binary_question)).content.decode()
    assert f"/comments/{mine.pk}/edit/" in html
    assert f"/comments/{mine.pk}/delete/" in html
    assert f"/comments/{theirs.pk}/edit/" not in html
    assert f"/comments/{theirs.pk}/delete/" not in html


def test_editing_on_the_page_marks_the_comment_edited(client, user, binary_question):
    mine = post_comment(question=binary_question, author=user, body="Frist")
    client.force_login(user)
    response = client.post(f"/comments/{mine.pk}/edit/", {"body": "First"})
    assert response.status_code == 302
    html = client.get(page(binary_question)).content.decode()
    assert "First" in html and "comment-edited" in html


def test_after_15_minutes_the_edit_page_refuses(client, user, binary_question, clock):
    mine = post_comment(question=binary_question, author=user, body="Old")
    clock.set(clock.moment + timedelta(minutes=16))
    client.force_login(user)
    assert (
        'id="edit-closed"' in client.get(f"/comments/{mine.pk}/edit/").content.decode()
    )
    response = client.post(f"/comments/{mine.pk}/edit/", {"body": "New"})
    assert response.status_code == 400
    assert Comment.objects.get().body == "Old"


def test_deleting_on_the_page_leaves_deleted_and_the_replies(
    client, user, staff, binary_question
):
    top = post_comment(question=binary_question, author=user, body="Regret this")
    post_comment(question=binary_question, author=staff, body="Kept", parent=top.pk)
    client.force_login(staff)
    assert client.post(f"/comments/{top.pk}/delete/").status_code == 302
    html = client.get(page(binary_question)).content.decode()
    assert "Comment deleted." in html and "Kept" in html
    assert "Regret this" not in html


def test_someone_else_cannot_delete_from_the_page(client, user, binary_question):
    top = post_comment(question=binary_question, author=UserFactory(), body="Theirs")
    client.force_login(user)
    assert client.post(f"/comments/{top.pk}/delete/").status_code == 403
    assert not Comment.objects.get().deleted


def test_the_page_form_is_throttled_too(client, user, binary_question, settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "comment": "1/min"},
    }
    client.force_login(user)
    url = f"/questions/{binary_question.slug}/comments/"
    assert client.post(url, {"body": "One"}).status_code == 302
    refused = client.post(url, {"body": "Two"})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "Too many comments" in refused.content.decode()
    assert Comment.objects.count() == 1


def test_comments_of_a_draft_are_404_on_the_page(client, user, staff, db):
    from tests.factories import QuestionFactory

    draft = QuestionFactory(publish=False)
    note = post_comment(question=draft, author=staff, body="Internal")
    client.force_login(user)
    assert (
        client.post(f"/questions/{draft.slug}/comments/", {"body": "x"}).status_code
        == 404
    )
    assert client.get(f"/comments/{note.pk}/edit/").status_code == 404
    assert client.post(f"/comments/{note.pk}/delete/").status_code == 404
