"""Reads: community forecast, question rows, leaderboards and calibration."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forecasts.models import Status
from forecasts.selectors.calibration import calibration_for, calibration_points
from forecasts.selectors.community import community_now
from forecasts.selectors.questions import question_rows, search_questions
from forecasts.selectors.scores import leaderboard, user_scores, user_totals
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.core


def forecast(question, probabilities, users=None):
    users = users or [UserFactory() for _ in probabilities]
    for user, p in zip(users, probabilities, strict=True):
        key = "probability" if question.is_binary else "probabilities"
        submit_forecast(question=question, user=user, **{key: p})
    return users


def resolve(question, staff, outcome, capture):
    with capture(execute=True):
        resolve_question(question=question, user=staff, outcome=outcome)


def test_community_is_the_recency_weighted_median_and_moves_at_once(binary_question):
    forecast(binary_question, [0.2, 0.6])
    # Two forecasters: equal weights, median (0.2 + 0.6) / 2.
    assert community_now([binary_question])[binary_question.pk].probabilities[
        1
    ] == pytest.approx(0.4)
    forecast(binary_question, [0.9])
    # Three: weights e^(1-√3), e^(√2-√3), 1 = 0.481, 0.660, 1 (total 2.141);
    # sorted 0.2, 0.6, 0.9 cumulate 0.481, 1.141 ≥ 1.070: the median is 0.6.
    community = community_now([binary_question])[binary_question.pk]
    assert community.probabilities[1] == pytest.approx(0.6)
    assert community.forecasters == 3


def test_hidden_community_shows_only_after_forecasting(db):
    question = QuestionFactory(hide_community_until_forecast=True)
    forecast(question, [0.3])
    newcomer = UserFactory()
    (row,) = question_rows([question], newcomer)
    assert (row.community, row.market) == (None, None)
    forecast(question, [0.5], users=[newcomer])
    (row,) = question_rows([question], newcomer)
    assert row.community is not None and row.market == [0.5, 0.5]
    assert row.own == [0.5, 0.5]


def test_question_rows_take_a_fixed_number_of_queries(
    db, user, django_assert_max_num_queries
):
    questions = [QuestionFactory() for _ in range(5)]
    for question in questions:
        forecast(question, [0.3, 0.4, 0.5])
    listed = list(search_questions(user))
    with django_assert_max_num_queries(3):
        rows = question_rows(listed, user)
    assert len(rows) == 5


def test_status_filter_matches_the_derived_status(db, staff):
    now = timezone.now()
    QuestionFactory(
        open_time=now - timedelta(days=3), close_time=now - timedelta(days=1)
    )
    open_ = QuestionFactory()
    resolved = QuestionFactory()
    resolve_question(question=resolved, user=staff, outcome=1)
    for status in (Status.OPEN, Status.CLOSED, Status.RESOLVED):
        found = search_questions(None, status=status)
        assert [q.status() for q in found] == [status]
    assert list(search_questions(None, status=Status.OPEN)) == [open_]


def test_search_finds_words_in_title_or_body(db):
    QuestionFactory(title="Will R2 launch?", body="DeepSeek context window")
    QuestionFactory(title="Something else")
    assert [q.title for q in search_questions(None, text="deepseek")] == [
        "Will R2 launch?"
    ]


def test_drafts_are_visible_to_staff_only(db, staff, user):
    QuestionFactory(publish=False)
    assert not search_questions(user).exists()
    assert search_questions(staff).count() == 1


def test_leaderboard_and_totals_use_the_latest_version_only(
    db, staff, django_capture_on_commit_callbacks
):
    q1, q2 = QuestionFactory(tags=["release"]), QuestionFactory(tags=["cost"])
    alice, bob = forecast(q1, [0.9, 0.4])
    forecast(q2, [0.8, 0.1], users=[alice, bob])
    resolve(q1, staff, 1, django_capture_on_commit_callbacks)
    resolve(q2, staff, 1, django_capture_on_commit_callbacks)
    # Final Briers on Yes: alice 2·0.1² = 0.02 and 2·0.2² = 0.08; bob 0.72, 1.62.
    assert [s.brier for s in user_scores(alice)] == pytest.approx([0.08, 0.02])
    board = list(leaderboard(by="brier"))
    assert [row["user__username"] for row in board] == [alice.username, bob.username]
    assert list(leaderboard(by="brier", tag="cost", min_questions=2)) == []
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(
            question=q2, user=staff, annulled=True, re_resolve=True, note="Void."
        )
    totals = user_totals(alice)
    assert totals.questions == 1
    assert totals.mean_brier == pytest.approx(user_scores(alice)[0].time_averaged_brier)


def test_calibration_counts_only_past_close_and_skips_annulled(
    db, staff, clock, django_capture_on_commit_callbacks
):
    now = clock.moment
    early = QuestionFactory(open_time=now - timedelta(days=5))  # closes in 30 days
    done = [
        QuestionFactory(
            open_time=now - timedelta(days=5), close_time=now + timedelta(i)
        )
        for i in (1, 2, 3)
    ]
    user = UserFactory()
    for question, p in zip([early, *done], [0.95, 0.15, 0.12, 0.75], strict=True):
        forecast(question, [p], users=[user])
    clock.set(now + timedelta(days=4))
    for question, outcome in zip([early, *done], [1, 0, 1, 1], strict=True):
        resolve(question, staff, outcome, django_capture_on_commit_callbacks)
    probs, outcomes = calibration_points(user=user)
    # `early` resolved before its scheduled close (30 days away): not counted.
    assert sorted(zip(probs, outcomes, strict=True)) == [
        (0.12, 1),
        (0.15, 0),
        (0.75, 1),
    ]
    table = calibration_for(user=user)
    assert table.n == 3
    assert table.bins[1].count == 2 and table.bins[1].observed_frequency == 0.5
    assert table.bins[7].count == 1
    # MSE = (0.15² + 0.88² + 0.25²) / 3 = (0.0225 + 0.7744 + 0.0625) / 3.
    assert table.mean_squared_error == pytest.approx(0.8594 / 3)


def test_calibration_all_mode_takes_every_scored_entry(
    db, staff, user, django_capture_on_commit_callbacks
):
    question = QuestionFactory(kind="multiple_choice", options=["A", "B", "C"])
    submit_forecast(question=question, user=user, probabilities=[0.5, 0.3, 0.2])
    submit_forecast(question=question, user=user, probabilities=[0.2, 0.7, 0.1])
    question.close_time = timezone.now()
    question.save()
    resolve(question, staff, 1, django_capture_on_commit_callbacks)
    final_probs, final_outcomes = calibration_points(user=user, mode="final")
    assert list(final_probs) == [0.2, 0.7, 0.1]
    assert list(final_outcomes) == [0, 1, 0]
    all_probs, _ = calibration_points(user=user, mode="all")
    assert sorted(all_probs) == [0.1, 0.2, 0.2, 0.3, 0.5, 0.7]


def test_calibration_all_mode_sums_every_entry_inside_the_scored_window(
    db, staff, clock, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    start = clock.moment
    user, other = UserFactory(), UserFactory()

    def question(**fields):
        return QuestionFactory(
            open_time=start - timedelta(days=1),
            close_time=start + timedelta(days=2),
            **fields,
        )

    late, multiple, reresolved, annulled = (
        question(),
        question(kind="multiple_choice", options=["A", "B", "C"]),
        question(),
        question(),
    )
    forecast(late, [0.62], users=[user])
    forecast(late, [0.3], users=[other])
    forecast(multiple, [[0.5, 0.3, 0.2]], users=[user])
    forecast(reresolved, [0.45], users=[user])
    forecast(annulled, [0.9], users=[user])
    clock.set(start + timedelta(days=1))
    forecast(late, [0.81], users=[user])  # after the window resolve sets below
    clock.set(start + timedelta(days=3))
    with capture(execute=True):
        resolve_question(
            question=late, user=staff, outcome=1, effective_at=start + timedelta(1) / 2
        )
        resolve_question(question=multiple, user=staff, outcome=2)
        resolve_question(question=reresolved, user=staff, outcome=1)
        resolve_question(
            question=reresolved, user=staff, outcome=0, re_resolve=True, note="No."
        )
        resolve_question(
            question=annulled, user=staff, annulled=True, note="Source gone."
        )
    table = calibration_for(user=user, mode="all")
    # Points: 0.62 → yes; 0.5 → no, 0.3 → no, 0.2 → yes (option C);
    # 0.45 → no (the re-resolution). Not 0.81 (after the window), 0.3 (another
    # forecaster) or 0.9 (annulled).
    assert table.n == 5
    assert [(b.count, b.observed_frequency) for b in table.bins if b.count] == [
        (1, 1.0),  # [0.2, 0.3)
        (1, 0.0),  # [0.3, 0.4)
        (1, 0.0),  # [0.4, 0.5)
        (1, 0.0),  # [0.5, 0.6)
        (1, 1.0),  # [0.6, 0.7)
    ]
    # MSE = (0.38² + 0.5² + 0.3² + 0.8² + 0.45²) / 5 = 1.3269 / 5.
    assert table.mean_squared_error == pytest.approx(1.3269 / 5)
    probs, outcomes = calibration_points(user=user, mode="all")
    assert sorted(zip(probs, outcomes, strict=True)) == [
        (0.2, 1),
        (0.3, 0),
        (0.45, 0),
        (0.5, 0),
        (0.62, 1),
    ]


def test_forecasters_without_a_relative_brier_rank_last(
    db, staff, clock, settings, django_capture_on_commit_callbacks
):
    settings.COMMUNITY_STEP_SECONDS = 3600
    start = clock.moment.replace(minute=0, second=0, microsecond=0)
    clock.set(start - timedelta(days=1))
    slow, quick = QuestionFactory(), QuestionFactory()
    clock.set(start + timedelta(minutes=5))
    alice, bob = forecast(slow, [0.9]), forecast(quick, [0.2])
    # `quick` resolves within the hour: no community point, no relative Brier.
    clock.set(start + timedelta(minutes=30))
    resolve(quick, staff, 1, django_capture_on_commit_callbacks)
    clock.set(start + timedelta(hours=3))
    resolve(slow, staff, 1, django_capture_on_commit_callbacks)
    board = list(leaderboard(by="relative_brier"))
    assert [row["user__username"] for row in board] == [
        alice[0].username,
        bob[0].username,
    ]
    assert board[1]["mean_relative_brier"] is None
