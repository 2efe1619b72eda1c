"""Comments through the API: posting, replies, order, limits, edits, deletion."""

from datetime import timedelta

import pytest

from discussion.models import Comment
from tests.discussion.conftest import client_for
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.core


def comments_url(question) -> str:
    return f"/api/questions/{question.slug}/comments/"


def post(client, question, **body):
    return client.post(comments_url(question), body, format="json")


def test_a_comment_reads_back_with_its_author_and_sanitised_html(
    user, user_api, binary_question, anon
):
    response = post(user_api, binary_question, body="I *doubt* it.")
    assert response.status_code == 201
    comment = response.json()
    assert comment["username"] == user.username
    assert comment["body"] == "I *doubt* it."
    assert comment["html"] == "<p>I <em>doubt</em> it.</p>"
    assert (comment["parent"], comment["edited_at"], comment["deleted"]) == (
        None,
        None,
        False,
    )
    assert comment["author_forecast"] is None
    listed = anon.get(comments_url(binary_question)).json()
    assert [c["id"] for c in listed["results"]] == [comment["id"]]


def test_markdown_keeps_no_script_and_no_image_from_another_host(
    user_api, binary_question
):
    body = (
        "![tracker](https://evil.example/pixel.png) "
        '<img src="https://evil.example/a.png"> <script>alert(1)</script> '
        "[a link](https://example.org)"
    )
    html = post(user_api, binary_question, body=body).json()["html"]
    assert "<img" not in html and "evil.example" not in html
    assert "<script" not in html and "alert" not in html
    assert 'href="https://example.org"' in html and "nofollow" in html


def test_an_anonymous_comment_is_refused_with_401(anon, binary_question):
    assert post(anon, binary_question, body="Hi").status_code == 401
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [("x" * 10_001, "body"), ("   ", "body"), ("", "body"), (7, "body")],
)
def test_a_bad_body_is_a_400_naming_body(user_api, binary_question, body, field):
    response = post(user_api, binary_question, body=body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Comment.objects.exists()


def test_ten_thousand_characters_are_allowed(user_api, binary_question):
    assert post(user_api, binary_question, body="x" * 10_000).status_code == 201


def test_replies_are_one_level_deep(user_api, binary_question):
    top = post(user_api, binary_question, body="Top").json()
    reply = post(user_api, binary_question, body="Reply", parent=top["id"])
    assert reply.status_code == 201 and reply.json()["parent"] == top["id"]
    deeper = post(user_api, binary_question, body="Deeper", parent=reply.json()["id"])
    assert deeper.status_code == 400
    assert "one level deep" in deeper.json()["parent"][0]
    assert Comment.objects.count() == 2


def test_a_parent_from_another_question_is_a_400_naming_parent(user_api, db):
    first, second = QuestionFactory(), QuestionFactory()
    top = post(user_api, first, body="Top").json()
    response = post(user_api, second, body="Reply", parent=top["id"])
    assert response.status_code == 400 and "parent" in response.json()


def test_comments_come_oldest_or_newest_first(user_api, binary_question, clock):
    for text in ("first", "second", "third"):
        post(user_api, binary_question, body=text)
        clock.set(clock.moment + timedelta(minutes=1))
    url = comments_url(binary_question)
    oldest = [c["body"] for c in user_api.get(url).json()["results"]]
    newest = user_api.get(url, {"order": "newest"}).json()["results"]
    assert oldest == ["first", "second", "third"]
    assert [c["body"] for c in newest] == ["third", "second", "first"]
    assert "order" in user_api.get(url, {"order": "best"}).json()


def test_the_author_edits_within_15_minutes_and_the_edit_is_marked(
    user_api, binary_question, clock
):
    comment = post(user_api, binary_question, body="Typo hree").json()
    clock.set(clock.moment + timedelta(minutes=14))
    url = f"/api/comments/{comment['id']}/"
    response = user_api.patch(url, {"body": "Typo here"}, format="json")
    assert response.status_code == 200
    assert response.json()["body"] == "Typo here"
    assert response.json()["edited_at"] is not None
    clock.set(clock.moment + timedelta(minutes=2))
    late = user_api.patch(url, {"body": "Too late"}, format="json")
    assert late.status_code == 400 and "15 minutes" in late.json()["body"][0]
    assert Comment.objects.get().body == "Typo here"


def test_nobody_else_edits_a_comment(user_api, staff_api, binary_question):
    comment = post(user_api, binary_question, body="Mine").json()
    url = f"/api/comments/{comment['id']}/"
    other = client_for(UserFactory())
    assert other.patch(url, {"body": "Theirs"}, format="json").status_code == 403
    assert staff_api.patch(url, {"body": "Staff's"}, format="json").status_code == 403
    assert Comment.objects.get().body == "Mine"


def test_a_deleted_comment_shows_as_deleted_and_keeps_its_replies(
    user_api, binary_question, anon
):
    top = post(user_api, binary_question, body="Top secret").json()
    post(user_api, binary_question, body="Reply", parent=top["id"])
    assert user_api.delete(f"/api/comments/{top['id']}/").status_code == 204
    listed = anon.get(comments_url(binary_question)).json()["results"]
    assert [(c["deleted"], c["body"], c["username"]) for c in listed] == [
        (True, "", None),
        (False, "Reply", listed[1]["username"]),
    ]
    assert listed[1]["parent"] == top["id"]
    assert "Top secret" not in str(listed)


def test_staff_delete_anyones_comment_and_others_cannot(
    user_api, staff_api, binary_question
):
    comment = post(user_api, binary_question, body="Spam").json()
    url = f"/api/comments/{comment['id']}/"
    assert client_for(UserFactory()).delete(url).status_code == 403
    assert not Comment.objects.get().deleted
    assert staff_api.delete(url).status_code == 204
    assert Comment.objects.get().deleted


def test_comments_of_a_question_one_cannot_see_are_404(user_api, staff_api, anon, db):
    draft = QuestionFactory(publish=False)
    comment = post(staff_api, draft, body="Staff note").json()
    assert anon.get(comments_url(draft)).status_code == 404
    assert user_api.get(comments_url(draft)).status_code == 404
    assert post(user_api, draft, body="Hello?").status_code == 404
    url = f"/api/comments/{comment['id']}/"
    assert user_api.patch(url, {"body": "x"}, format="json").status_code == 404
    assert user_api.delete(url).status_code == 404
    assert Comment.objects.get().body == "Staff note"


def test_the_comment_rate_is_throttled_per_user(settings, user_api, binary_question):
    # The default, THROTTLE_COMMENT_RATE=10/min: the eleventh in a minute is refused.
    for _ in range(10):
        assert post(user_api, binary_question, body="Hi").status_code == 201
    refused = post(user_api, binary_question, body="Hi")
    assert refused.status_code == 429 and "Retry-After" in refused
    assert Comment.objects.count() == 10
    other = client_for(UserFactory())
    assert post(other, binary_question, body="Hi").status_code == 201


def test_the_comment_rate_comes_from_the_setting(settings, user_api, binary_question):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "comment": "2/min"},
    }
    codes = [post(user_api, binary_question, body="Hi").status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_a_deleted_comment_takes_no_reply_and_no_edit(user_api, binary_question):
    top = post(user_api, binary_question, body="Gone soon").json()
    user_api.delete(f"/api/comments/{top['id']}/")
    reply = post(user_api, binary_question, body="Reply", parent=top["id"])
    assert reply.status_code == 400 and "parent" in reply.json()
    edit = user_api.patch(
        f"/api/comments/{top['id']}/", {"body": "Back"}, format="json"
    )
    assert edit.status_code == 400 and "body" in edit.json()
    assert Comment.objects.get().body == ""
