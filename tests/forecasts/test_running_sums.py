"""Running sums kept with each forecast, and resolutions scored from them."""

import math
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from forecasts.models import Entry, LedgerHead, Score, Standing
from forecasts.scoring import fold_ledger
from forecasts.scoring.running import pack, stored_table, sums_are_precise, unpack
from forecasts.selectors.arrays import (
    community_arrays,
    entry_arrays,
    to_microseconds,
)
from forecasts.selectors.running import ledger_sums
from forecasts.selectors.scores import question_result
from forecasts.services import resolve_question, submit_forecast
from forecasts.services.score_columns import score_columns
from tests.factories import QuestionFactory, UserFactory
from tests.forecasts.test_resolution import T0, hours, resolve_and_score

pytestmark = pytest.mark.core


def test_sums_after_three_entries_match_hand_computation(db, clock):
    question = QuestionFactory(open_time=T0, close_time=hours(10))
    a, b = UserFactory(), UserFactory()
    for seconds, user, p in [(0, a, 0.2), (4, b, 0.5), (10, a, 0.6)]:
        clock.set(T0 + timedelta(seconds=seconds))
        submit_forecast(question=question, user=user, probability=p)
    sums = unpack(Standing.objects.get(question=question, user=a).sums)
    assert sums.first == to_microseconds(T0)
    assert sums.last == to_microseconds(T0) + 10_000_000
    assert (sums.entries, sums.vector) == (2, (4000, 6000))
    # A held [8000, 2000] bp for 10 s: (8000² + 2000²)·1e7 µs = 6.8e14.
    assert sums.held_sq == 6.8e14
    assert sums.held_bp == (8e10, 2e10)
    # Market: before A's first entry the state is [5000, 5000] (Σ² = 5e7):
    # 5e7 − 6.8e7 = −1.8e7 and [−3000, 3000]; before A's second, B's
    # [5000, 5000] against [4000, 6000] (Σ² = 5.2e7): −2e6 and [1000, −1000].
    assert sums.market_sq == -2e7
    assert sums.market_bp == (-2000.0, 2000.0)
    # B's one entry followed A's [8000, 2000]: 6.8e7 − 5e7, [3000, −3000].
    sums = unpack(Standing.objects.get(question=question, user=b).sums)
    assert (sums.entries, sums.held_sq, sums.held_bp) == (1, 0.0, (0.0, 0.0))
    assert (sums.market_sq, sums.market_bp) == (1.8e7, (3000.0, -3000.0))


@pytest.fixture
def timeline(db, clock, settings):
    """test_resolution's timeline without C.

    A forecasts 0.8 at 0.5h and 0.6 at 5.5h; B forecasts 0.4 at 2.5h.
    """
    settings.COMMUNITY_STEP_SECONDS = 3600
    clock.set(hours(-1))
    question = QuestionFactory(open_time=T0, close_time=hours(10))
    a, b = UserFactory(), UserFactory()
    for when, user, p in [(0.5, a, 0.8), (2.5, b, 0.4), (5.5, a, 0.6)]:
        clock.set(hours(when))
        submit_forecast(question=question, user=user, probability=p)
    clock.set(hours(9))
    return question, a, b


def test_scores_from_the_sums_match_hand_computation(
    timeline, staff, django_capture_on_commit_callbacks
):
    question, a, b = timeline
    head = LedgerHead.objects.get(pk=question.pk)
    assert ledger_sums(question, head, before=hours(8)) is not None
    resolve_and_score(
        django_capture_on_commit_callbacks,
        question=question,
        user=staff,
        outcome=1,
        effective_at=hours(8),
    )
    scores = {s.user_id: s for s in question_result(question).scores}
    # The hand computation of test_resolution's timeline (C's entry there
    # came after the window and was not scored): community Brier 0.08 on
    # [1,3), 0.32 on [3,6), 0.5 on [6,8).
    assert scores[a.pk].time_averaged_brier == pytest.approx(0.16)
    assert scores[b.pk].time_averaged_brier == pytest.approx(4.08 / 7)
    assert scores[a.pk].relative_brier == pytest.approx(-0.96 / 7)
    assert scores[b.pk].relative_brier == pytest.approx(1.96 / 7)
    assert scores[a.pk].brier == pytest.approx(0.32)
    assert scores[a.pk].log_score == pytest.approx(math.log(0.6))
    assert scores[a.pk].peer == pytest.approx(40.5465, abs=1e-4)
    assert scores[a.pk].points == pytest.approx(82)
    assert scores[b.pk].points == pytest.approx(-64)
    assert (scores[a.pk].entries, scores[b.pk].entries) == (2, 1)
    final = Entry.objects.get(question=question, user=a, sequence=3)
    assert Score.objects.get(user=a).final_entry_id == final.pk
    assert Score.objects.get(user=a).final_p_yes_bp == 6000


def test_entries_after_the_window_are_not_summed_into_it(timeline, clock):
    question, a, _ = timeline
    clock.set(hours(9))
    submit_forecast(question=question, user=a, probability=0.1)
    head = LedgerHead.objects.get(pk=question.pk)
    # Resolved as of 8h, A's 9h entry must not count: the sums hold it.
    assert ledger_sums(question, head, before=hours(8)) is None
    assert ledger_sums(question, head, before=hours(9.5)) is not None


def _random_ledger(clock, question, users, rng, entries):
    """Entries at random times, many in the community's first hour."""
    k = len(question.options) if question.options else 2
    times = np.sort(
        np.concatenate([rng.uniform(0, 1, entries // 4), rng.uniform(0, 9.5, entries)])
    )
    for t in times:
        clock.set(hours(float(t)))
        user = users[rng.integers(len(users))]
        if k == 2:
            submit_forecast(
                question=question,
                user=user,
                probability=int(rng.integers(1, 100)) / 100,
            )
        else:
            weights = rng.integers(1, 20, k)
            bp = np.floor(weights / weights.sum() * 100).astype(int)
            bp[0] += 100 - bp.sum()
            submit_forecast(
                question=question, user=user, probabilities=(bp / 100).tolist()
            )


@pytest.mark.parametrize("kind", ["binary", "ordered"])
def test_scores_from_sums_equal_scores_from_every_entry(
    db, clock, settings, staff, kind
):
    settings.COMMUNITY_STEP_SECONDS = 3600
    extra = {"kind": "multiple_choice", "options": list("ABCD"), "ordered": True}
    question = QuestionFactory(
        open_time=T0, close_time=hours(10), **(extra if kind == "ordered" else {})
    )
    users = [UserFactory() for _ in range(12)]
    _random_ledger(clock, question, users, np.random.default_rng(7), 120)
    clock.set(hours(11))
    fast, slow, precise = _both_paths(question, staff)
    assert precise, "scored from the sums"
    assert fast.keys() == slow.keys()
    assert len(fast["user_id"]) == 12
    for name, value in slow.items():
        if isinstance(value, np.ndarray) and value.dtype.kind == "f":
            np.testing.assert_allclose(fast[name], value, rtol=1e-12, atol=1e-12)
        elif isinstance(value, np.ndarray):
            np.testing.assert_array_equal(fast[name], value, err_msg=name)
        else:
            assert fast[name] == value, name


def test_posted_sums_equal_the_whole_ledger_folded_at_once(db, clock):
    question = QuestionFactory(
        kind="multiple_choice", options=list("ABC"), open_time=T0, close_time=hours(10)
    )
    users = [UserFactory() for _ in range(6)]
    _random_ledger(clock, question, users, np.random.default_rng(3), 60)
    entries = entry_arrays(question, before=hours(12))
    bp = np.rint(entries.vectors * 10_000)
    folded = fold_ledger(entries.micros, entries.users, bp)
    rows = Standing.objects.filter(question=question).order_by("user_id")
    users, stored = zip(*rows.values_list("user_id", "sums"), strict=True)
    assert list(users) == folded.users.tolist()
    table = np.array([np.frombuffer(s, "<f8") for s in stored])
    # The same float additions in the same order: equal to the last bit.
    np.testing.assert_array_equal(table, stored_table(folded))


def test_an_entry_without_sums_sends_scoring_to_the_ledger(
    timeline, clock, staff, django_capture_on_commit_callbacks
):
    question, a, b = timeline
    # As if A's latest entry had come in by some other way than a forecast.
    Standing.objects.filter(question=question, user=a).update(sums=None)
    head = LedgerHead.objects.get(pk=question.pk)
    assert ledger_sums(question, head, before=hours(8)) is None
    clock.set(hours(9))
    resolve_and_score(
        django_capture_on_commit_callbacks,
        question=question,
        user=staff,
        outcome=1,
        effective_at=hours(8),
    )
    scores = {s.user_id: s for s in question_result(question).scores}
    # A: 0.08 on [0.5,5.5), 0.32 on [5.5,8): 0.4 + 0.8 = 1.2 over 7.5 h.
    assert scores[a.pk].time_averaged_brier == pytest.approx(1.2 / 7.5)
    assert scores[a.pk].entries == 2


def test_a_forecasters_next_forecast_folds_their_missing_sums_again(timeline, clock):
    question, a, b = timeline
    # Entries from before the sums existed, or sums a forecast read just
    # before verify_ledger --repair stored them: null on A's row.
    Standing.objects.filter(question=question, user=a).update(sums=None)
    clock.set(hours(6))
    submit_forecast(question=question, user=a, probability=0.7)
    submit_forecast(question=question, user=b, probability=0.4)
    entries = entry_arrays(question, before=hours(7))
    folded = fold_ledger(entries.micros, entries.users, np.rint(entries.vectors * 1e4))
    rows = Standing.objects.filter(question=question).order_by("user_id")
    table = np.array(
        [np.frombuffer(s, "<f8") for s in rows.values_list("sums", flat=True)]
    )
    # Every bit as if A's sums had never been lost.
    np.testing.assert_array_equal(table, stored_table(folded))
    head = LedgerHead.objects.get(pk=question.pk)
    assert ledger_sums(question, head, before=hours(8)) is not None


def test_a_count_that_does_not_add_up_sends_scoring_to_the_ledger(timeline):
    question, a, _ = timeline
    head = LedgerHead.objects.get(pk=question.pk)
    assert ledger_sums(question, head, before=hours(8)) is not None
    row = Standing.objects.get(question=question, user=a)
    row.sums = pack(replace(unpack(row.sums), entries=1))
    row.save()
    assert ledger_sums(question, head, before=hours(8)) is None


def test_repair_stores_the_sums_a_question_had_none_of(timeline, capsys):
    """Entries from before the sums existed: verify_ledger --repair folds them."""
    question, a, b = timeline
    rows = Standing.objects.filter(question=question).order_by("user_id")
    written = [bytes(sums) for sums in rows.values_list("sums", flat=True)]
    rows.update(sums=None)
    LedgerHead.objects.filter(pk=question.pk).update(last_vector=None)
    head = LedgerHead.objects.get(pk=question.pk)
    assert ledger_sums(question, head, before=hours(8)) is None

    call_command("verify_ledger", "--repair")
    assert f"Stored the running sums of {question.slug}." in capsys.readouterr().out
    head = LedgerHead.objects.get(pk=question.pk)
    assert ledger_sums(question, head, before=hours(8)) is not None
    # The same bytes the forecasts themselves kept, and A's 0.6 as the market.
    assert [bytes(s) for s in rows.values_list("sums", flat=True)] == written
    assert head.last_vector == [4000, 6000]
    call_command("verify_ledger", "--repair")
    assert "running sums" not in capsys.readouterr().out


def test_repair_mends_sums_changed_behind_the_applications_back(timeline, capsys):
    question, a, _ = timeline
    row = Standing.objects.get(question=question, user=a)
    row.sums = pack(replace(unpack(row.sums), market_sq=0.0))
    row.save()
    with pytest.raises(CommandError, match=f"running sums of user {a.pk} disagree"):
        call_command("verify_ledger")
    call_command("verify_ledger", "--repair")
    assert "every chain is intact" in capsys.readouterr().out


def test_a_window_ending_just_after_the_communitys_first_point_is_scored_exactly(
    db, clock, settings, staff
):
    # The relative score divides by the community's time (here 1 ms) what the
    # sums hold over the forecaster's whole time (here an hour): their float
    # rounding, ~1e-16 of an hour, grows to ~1e-10 of the score. Here the
    # one forecaster is the community, so the score is 0; the sums gave
    # −4.9e-11 (the reviewer's case, against a separate community, gave
    # −0.19371998004913332 for −0.19371998000000004).
    settings.COMMUNITY_STEP_SECONDS = 3600
    clock.set(T0 - timedelta(hours=1))
    question = QuestionFactory(
        open_time=T0, close_time=hours(1) + timedelta(microseconds=1000)
    )
    user = UserFactory()
    for micros, p in [(123_457, 0.3001), (1_234_567_891, 0.7999)]:
        clock.set(T0 + timedelta(microseconds=micros))
        submit_forecast(question=question, user=user, probability=p)
    clock.set(hours(2))
    fast, slow, precise = _both_paths(question, staff)
    assert not precise, "scored from every entry"
    assert np.isfinite(slow["relative_brier"]).all()
    np.testing.assert_allclose(
        fast["relative_brier"], slow["relative_brier"], rtol=1e-12, atol=1e-12
    )


def _both_paths(question, staff):
    """Resolve Yes at the close; return the score columns from the sums and
    from every entry, and whether score_columns chose the sums."""
    event = resolve_question(question=question, user=staff, outcome=1)
    head = LedgerHead.objects.get(pk=question.pk)
    end = question.close_time
    summed = ledger_sums(question, head, before=end)
    assert summed is not None
    fast = score_columns(question, head, event, end)
    slow = score_columns(question, head, event, end, sums=False)
    times, _ = community_arrays(question, before=end)
    start = to_microseconds(question.open_time)
    precise = sums_are_precise(start, to_microseconds(end), summed[0], times)
    return fast, slow, precise
