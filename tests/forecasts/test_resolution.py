"""Resolving, annulling and re-resolving, and the scores each version gets."""

import math
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from forecasts.models import CommunityPoint, ResolutionEvent, Score, Status
from forecasts.selectors.scores import question_result
from forecasts.services import (
    ResolutionConflict,
    resolve_question,
    score_resolution,
    submit_forecast,
)
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.core

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def hours(h: float) -> datetime:
    return T0 + timedelta(hours=h)


def resolve_and_score(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return resolve_question(**kwargs)


@pytest.fixture
def timeline(db, clock, settings):
    """A binary question open from T0 for 10 hours, with hourly community steps.

    A forecasts 0.8 at 0.5h and 0.6 at 5.5h; B forecasts 0.4 at 2.5h; C
    forecasts 0.9 at 8.5h, after the outcome became known at 8h.
    """
    settings.COMMUNITY_STEP_SECONDS = 3600
    clock.set(hours(-1))
    question = QuestionFactory(open_time=T0, close_time=hours(10))
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    for when, user, p in [(0.5, a, 0.8), (2.5, b, 0.4), (5.5, a, 0.6), (8.5, c, 0.9)]:
        clock.set(hours(when))
        submit_forecast(question=question, user=user, probability=p)
    clock.set(hours(9))
    return question, a, b, c


def test_scores_of_a_resolved_binary_question_match_hand_computation(
    timeline, staff, django_capture_on_commit_callbacks
):
    question, a, b, c = timeline
    resolve_and_score(
        django_capture_on_commit_callbacks,
        question=question,
        user=staff,
        outcome=1,
        effective_at=hours(8),
    )
    result = question_result(question)
    assert result.state == "done"
    scores = {s.user_id: s for s in result.scores}
    # C forecast after the outcome was known (8h): in the ledger, not scored.
    assert set(scores) == {a.pk, b.pk}
    # Community C(h) at boundaries 1h..7h: 0.8 (1h, 2h: A alone), median of
    # {0.8, 0.4} = 0.6 (3h-5h), median of {0.4, 0.6} = 0.5 (6h, 7h).
    # Brier of yes: 2(1-p)^2 -> C: 0.08 on [1,3), 0.32 on [3,6), 0.5 on [6,8).
    # A: 0.08 on [0.5,5.5), 0.32 on [5.5,8): (0.4 + 0.8) / 7.5 = 0.16.
    # B: C's 0.08 on [1,2.5), then 0.72 on [2.5,8): (0.12 + 3.96) / 7.
    assert scores[a.pk].time_averaged_brier == pytest.approx(0.16)
    assert scores[b.pk].time_averaged_brier == pytest.approx(4.08 / 7)
    # Relative over [1,8): A: -0.24*2.5 - 0.18*2 = -0.96; B: 0.32+1.2+0.44 = 1.96.
    assert scores[a.pk].relative_brier == pytest.approx(-0.96 / 7)
    assert scores[b.pk].relative_brier == pytest.approx(1.96 / 7)
    assert scores[a.pk].brier == pytest.approx(0.32)  # final 0.6: 2 * 0.4^2
    assert scores[b.pk].brier == pytest.approx(0.72)  # 2 * 0.6^2
    assert scores[a.pk].log_score == pytest.approx(math.log(0.6))
    assert scores[a.pk].baseline == pytest.approx(100 * math.log(1.2) / math.log(2))
    # Peer, n = 2: 100 * 2 * ln(0.6 / sqrt(0.24)) = 100 * ln(1.5) = 40.5465.
    assert scores[a.pk].peer == pytest.approx(40.5465, abs=1e-4)
    assert scores[b.pk].peer == pytest.approx(-40.5465, abs=1e-4)
    # Points: uniform 0.5 (Brier 0.5) -> A 0.8: +42; B 0.4: 100(0.08-0.72) = -64;
    # A 0.6: 100(0.72-0.32) = +40. A = 82, B = -64; total 18 = 100(0.5-0.32).
    assert scores[a.pk].points == pytest.approx(82)
    assert scores[b.pk].points == pytest.approx(-64)
    assert scores[a.pk].rps is None
    assert scores[a.pk].entries == 2


def test_community_series_is_stored_at_scoring(
    timeline, staff, django_capture_on_commit_callbacks
):
    question, *_ = timeline
    resolve_and_score(
        django_capture_on_commit_callbacks,
        question=question,
        user=staff,
        outcome=1,
        effective_at=hours(8),
    )
    points = CommunityPoint.objects.filter(question=question).order_by("time")
    yes = [round(p.probabilities[1], 9) for p in points]
    assert [p.time for p in points] == [hours(h) for h in range(1, 8)]
    assert yes == [0.8, 0.8, 0.6, 0.6, 0.6, 0.5, 0.5]
    assert [p.forecasters for p in points] == [1, 1, 2, 2, 2, 2, 2]


def test_ordered_multiple_choice_scores(
    db, staff, user, django_capture_on_commit_callbacks
):
    question = QuestionFactory(
        kind="multiple_choice", options=["Low", "Mid", "High"], ordered=True
    )
    submit_forecast(question=question, user=user, probabilities=[0.2, 0.5, 0.3])
    resolve_and_score(
        django_capture_on_commit_callbacks, question=question, user=staff, outcome=1
    )
    (score,) = question_result(question).scores
    assert score.brier == pytest.approx(0.38)  # 0.2^2 + 0.5^2 + 0.3^2
    assert score.rps == pytest.approx(0.065)  # ((0.2-0)^2 + (0.7-1)^2) / 2
    assert score.baseline == pytest.approx(100 * math.log(1.5) / math.log(3))
    assert score.peer is None  # one forecaster: no peers
    # Uniform Brier 6/9, so points = 100 * (2/3 - 0.38).
    assert score.points == pytest.approx(100 * (2 / 3 - 0.38))


def test_re_resolution_replaces_scores(
    binary_question, staff, user, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    resolve_and_score(
        django_capture_on_commit_callbacks,
        question=binary_question,
        user=staff,
        outcome=1,
    )
    assert question_result(binary_question).scores[0].brier == pytest.approx(0.18)
    resolve_and_score(
        django_capture_on_commit_callbacks,
        question=binary_question,
        user=staff,
        outcome=0,
        re_resolve=True,
        note="The source was misread; it resolves No.",
    )
    result = question_result(binary_question)
    assert result.resolution.version == 2
    assert [s.brier for s in result.scores] == [pytest.approx(0.98)]  # 2 * 0.7^2
    assert binary_question.status() == Status.RESOLVED


def test_scoring_waits_as_pending_until_the_task_runs(
    binary_question, staff, user, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = resolve_question(question=binary_question, user=staff, outcome=1)
    assert len(callbacks) == 1
    assert question_result(binary_question).state == "pending"
    assert question_result(binary_question).scores == []
    assert score_resolution(resolution_id=event.pk) is True
    assert question_result(binary_question).state == "done"


def test_scoring_twice_changes_nothing(
    binary_question, staff, user, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    event = resolve_and_score(
        django_capture_on_commit_callbacks,
        question=binary_question,
        user=staff,
        outcome=1,
    )
    before = list(Score.objects.values())
    assert score_resolution(resolution_id=event.pk) is False
    assert list(Score.objects.values()) == before


def test_scoring_a_superseded_version_does_nothing(
    binary_question, staff, user, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    with django_capture_on_commit_callbacks(execute=False):
        first = resolve_question(question=binary_question, user=staff, outcome=1)
        resolve_question(
            question=binary_question,
            user=staff,
            outcome=0,
            re_resolve=True,
            note="Corrected.",
        )
    assert score_resolution(resolution_id=first.pk) is False
    assert not Score.objects.exists()
    assert question_result(binary_question).state == "pending"


def test_annulled_question_gets_no_scores(
    binary_question, staff, user, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    resolve_and_score(
        django_capture_on_commit_callbacks,
        question=binary_question,
        user=staff,
        annulled=True,
        note="R2 was not released.",
    )
    result = question_result(binary_question)
    assert (result.state, result.scores) == ("annulled", [])
    assert binary_question.status() == Status.ANNULLED
    assert not Score.objects.exists()


def test_only_staff_resolve(binary_question, user):
    with pytest.raises(PermissionDenied):
        resolve_question(question=binary_question, user=user, outcome=1)
    assert not ResolutionEvent.objects.exists()


def test_resolving_twice_needs_the_re_resolve_flag_and_a_note(binary_question, staff):
    resolve_question(question=binary_question, user=staff, outcome=1)
    with pytest.raises(ResolutionConflict):
        resolve_question(question=binary_question, user=staff, outcome=0)
    with pytest.raises(ValidationError) as caught:
        resolve_question(
            question=binary_question, user=staff, outcome=0, re_resolve=True
        )
    assert "note" in caught.value.message_dict
    assert ResolutionEvent.objects.count() == 1


def test_expected_version_must_be_the_latest(binary_question, staff):
    resolve_question(question=binary_question, user=staff, outcome=1)
    with pytest.raises(ResolutionConflict, match="latest resolution version is 1"):
        resolve_question(
            question=binary_question,
            user=staff,
            outcome=0,
            re_resolve=True,
            note="Corrected.",
            expected_version=0,
        )


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"outcome": 2}, "outcome"),
        ({"outcome": None}, "outcome"),
        ({"outcome": 1, "annulled": True, "note": "x"}, "outcome"),
        ({"annulled": True}, "note"),
        ({"outcome": 1, "source_url": "javascript:alert(1)"}, "source_url"),
    ],
)
def test_bad_resolution_is_refused(binary_question, staff, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        resolve_question(question=binary_question, user=staff, **kwargs)
    assert field in caught.value.message_dict
    assert not ResolutionEvent.objects.exists()


def test_effective_time_cannot_be_in_the_future(binary_question, staff, clock):
    with pytest.raises(ValidationError) as caught:
        resolve_question(
            question=binary_question,
            user=staff,
            outcome=1,
            effective_at=clock.moment + timedelta(minutes=1),
        )
    assert "effective_at" in caught.value.message_dict


def test_resolution_events_are_hash_chained(binary_question, staff):
    first = resolve_question(question=binary_question, user=staff, outcome=1)
    second = resolve_question(
        question=binary_question, user=staff, outcome=0, re_resolve=True, note="Fix."
    )
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash
    assert (first.version, second.version) == (1, 2)


def test_periodic_task_stores_points_as_time_passes(
    timeline, django_capture_on_commit_callbacks
):
    question, *_ = timeline  # the clock stands at 9h, the grace is 60 s
    from forecasts.tasks import extend_community_series_task

    points = CommunityPoint.objects.filter(question=question)
    for _ in range(2):
        # The task queues one snapshot job per question, run on commit.
        with django_capture_on_commit_callbacks(execute=True):
            assert extend_community_series_task.delay().get() == 1
        assert points.count() == 8  # boundaries 1h..8h, stored once
    last = points.order_by("time").last()
    # At 8h C's standing forecasts are A 0.6, B 0.4 and not yet C: median 0.5.
    assert (last.time, last.forecasters) == (hours(8), 2)
    assert last.probabilities[1] == pytest.approx(0.5)


def test_score_keeps_what_calibration_reads(
    binary_question, staff, user, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=user, probability=0.3)
    submit_forecast(question=binary_question, user=user, probability=0.7)
    resolve_and_score(
        django_capture_on_commit_callbacks,
        question=binary_question,
        user=staff,
        outcome=1,
    )
    score = Score.objects.get()
    assert score.close_time == binary_question.close_time
    assert (score.outcome, score.current) == (1, True)
    assert score.final_bp == score.final_entry.probabilities_bp == [3000, 7000]
    assert score.final_p_yes_bp == 7000


def test_a_newer_version_retires_the_older_scores_even_when_annulled(
    binary_question, staff, user, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    resolve_and_score(
        django_capture_on_commit_callbacks,
        question=binary_question,
        user=staff,
        outcome=1,
    )
    resolve_and_score(
        django_capture_on_commit_callbacks,
        question=binary_question,
        user=staff,
        annulled=True,
        re_resolve=True,
        note="R2 was withdrawn.",
    )
    assert list(Score.objects.values_list("current", flat=True)) == [False]
