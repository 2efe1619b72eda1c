from datetime import UTC, datetime
from pathlib import Path

import pytest

from forecasts.seed_files import SeedError, SeedQuestion, load_seed_dir, load_seed_file

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
ARTICLE_DATE = datetime(2025, 2, 26, tzinfo=UTC)
END_OF_2027 = datetime(2028, 1, 1, tzinfo=UTC)
YES_NO = ("No", "Yes")
RELEASE_DATE_OPTIONS = (
    "Before May 2025",
    "May 2025",
    "June\N{EN DASH}December 2025",
    "2026",
    "Not before 2027",
)
CONTEXT_OPTIONS = (
    "At most 128K tokens",
    "Over 128K up to 256K",
    "Over 256K up to 1M",
    "Over 1M",
)

# (kind, options, ordered, tags, close_time) of the twelve questions, in file order.
EXPECTED_SEEDS = [
    ("binary", YES_NO, False, ("release",), datetime(2025, 6, 1, tzinfo=UTC)),
    ("binary", YES_NO, False, ("release",), datetime(2025, 5, 1, tzinfo=UTC)),
    ("multiple_choice", RELEASE_DATE_OPTIONS, True, ("release",), END_OF_2027),
    ("binary", YES_NO, False, ("release",), datetime(2027, 7, 1, tzinfo=UTC)),
    ("multiple_choice", CONTEXT_OPTIONS, True, ("context",), END_OF_2027),
    ("binary", YES_NO, False, ("context",), END_OF_2027),
    ("binary", YES_NO, False, ("cost",), END_OF_2027),
    ("binary", YES_NO, False, ("multimodal",), END_OF_2027),
    ("binary", YES_NO, False, ("multimodal",), END_OF_2027),
    ("date", (), False, ("release",), END_OF_2027),
    ("numeric", (), False, ("context",), END_OF_2027),
    ("numeric", (), False, ("cost",), END_OF_2027),
]

# Each field as a TOML value; tests override or drop entries to break one rule.
VALID_FIELDS = {
    "slug": '"a-question"',
    "title": '"Will it happen?"',
    "kind": '"binary"',
    "options": '["No", "Yes"]',
    "ordered": "false",
    "tags": '["release"]',
    "open_time": "2025-02-26T00:00:00Z",
    "close_time": "2025-06-01T00:00:00Z",
    "resolve_time": "2025-06-01T00:00:00Z",
    "hide_community_until_forecast": "false",
    "source_title": '"An article"',
    "source_url": '"https://example.com/article"',
    "body": '"Background."',
    "resolution_criteria": '"Resolves Yes if it happens."',
}


def write_seed(directory: Path, name: str = "01-q.toml", **overrides) -> Path:
    fields = {**VALID_FIELDS, **overrides}
    lines = [f"{key} = {value}" for key, value in fields.items() if value is not None]
    path = directory / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def real_seeds() -> list[SeedQuestion]:
    return load_seed_dir(SEEDS_DIR)


def test_real_seed_directory_has_the_twelve_questions_in_file_order(real_seeds):
    actual = [(q.kind, q.options, q.ordered, q.tags, q.close_time) for q in real_seeds]
    assert actual == EXPECTED_SEEDS


def test_real_seeds_open_at_the_article_and_resolve_at_close(real_seeds):
    for question in real_seeds:
        assert question.open_time == ARTICLE_DATE
        assert question.resolve_time == question.close_time


def test_real_seeds_have_unique_slugs_and_known_tags(real_seeds):
    slugs = [question.slug for question in real_seeds]
    tags = {tag for question in real_seeds for tag in question.tags}
    assert len(set(slugs)) == 12
    assert tags == {"release", "context", "cost", "multimodal"}


def test_real_seeds_cite_the_source_article(real_seeds):
    for question in real_seeds:
        assert question.source_title == (
            "DeepSeek Prepares to Launch R2 as Competition in AI Intensifies"
        )
        assert question.source_url.startswith("https://")


def test_real_seeds_after_launch_are_annulled_without_r2(real_seeds):
    for question in real_seeds[4:9] + real_seeds[10:]:
        assert "annulled if R2 is not released" in question.resolution_criteria


def test_continuous_seeds_have_the_issues_ranges_bounds_and_units(real_seeds):
    by_slug = {q.slug: q for q in real_seeds}
    date = by_slug["deepseek-r2-release-date-distribution"]
    assert (date.range_min, date.range_max) == (ARTICLE_DATE, END_OF_2027)
    assert (date.open_lower_bound, date.open_upper_bound) == (False, True)
    assert (date.scale, date.unit) == ("linear", "")
    tokens = by_slug["deepseek-r2-context-window-tokens"]
    assert (tokens.range_min, tokens.range_max) == (32768.0, 16777216.0)
    assert (tokens.scale, tokens.unit) == ("log", "tokens")
    assert tokens.open_lower_bound and tokens.open_upper_bound
    price = by_slug["deepseek-r2-output-price-usd"]
    assert (price.range_min, price.range_max) == (0.05, 50.0)
    assert (price.scale, price.unit) == ("log", "USD per million output tokens")
    assert price.open_lower_bound and price.open_upper_bound


def test_a_log_scale_seed_needs_a_positive_minimum(tmp_path):
    path = write_seed(
        tmp_path,
        kind='"numeric"',
        options="[]",
        range_min="0",
        range_max="10",
        scale='"log"',
    )
    with pytest.raises(SeedError, match="range_min"):
        load_seed_file(path)


def test_a_date_seed_takes_date_times_for_its_range(tmp_path):
    path = write_seed(
        tmp_path, kind='"date"', options="[]", range_min="1", range_max="2"
    )
    with pytest.raises(SeedError, match="must be a date-time"):
        load_seed_file(path)


def test_first_question_is_the_may_2025_release():
    question = load_seed_file(SEEDS_DIR / "01-released-by-may-2025.toml")
    assert question.slug == "deepseek-r2-released-by-2025-05-31"
    assert "2025-06-01T00:00:00Z" in question.resolution_criteria


def test_valid_file_loads_with_utc_times_and_tuples(tmp_path):
    question = load_seed_file(
        write_seed(tmp_path, open_time="2025-02-26T00:00:00+00:00")
    )
    assert question.open_time == ARTICLE_DATE
    assert question.open_time.tzinfo is UTC
    assert question.options == ("No", "Yes")
    assert question.tags == ("release",)
    assert question.ordered is False


def test_multiple_choice_file_may_be_ordered(tmp_path):
    path = write_seed(
        tmp_path, kind='"multiple_choice"', options='["Low", "High"]', ordered="true"
    )
    assert load_seed_file(path).ordered is True


def test_empty_source_url_is_allowed(tmp_path):
    assert load_seed_file(write_seed(tmp_path, source_url='""')).source_url == ""


def test_directory_loads_in_file_name_order(tmp_path):
    write_seed(tmp_path, "02-b.toml", slug='"second"')
    write_seed(tmp_path, "01-a.toml", slug='"first"')
    (tmp_path / "notes.txt").write_text("not a seed")
    assert [q.slug for q in load_seed_dir(tmp_path)] == ["first", "second"]


def test_error_message_names_file_and_field(tmp_path):
    path = write_seed(tmp_path, "03-x.toml", close_time="2025-02-01T00:00:00Z")
    with pytest.raises(SeedError) as error:
        load_seed_file(path)
    expected = f"{tmp_path.name}/03-x.toml: field 'close_time': must be after open_time"
    assert str(error.value) == expected
    assert error.value.field == "close_time"
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"body": None}, "body", id="missing-field"),
        pytest.param({"colour": '"red"'}, "colour", id="unknown-field"),
        pytest.param({"title": "3"}, "title", id="title-not-string"),
        pytest.param({"source_url": "true"}, "source_url", id="url-not-string"),
        pytest.param({"ordered": "0"}, "ordered", id="int-is-not-bool"),
        pytest.param(
            {"hide_community_until_forecast": '"no"'},
            "hide_community_until_forecast",
            id="string-is-not-bool",
        ),
        pytest.param({"tags": '"release"'}, "tags", id="tags-not-list"),
        pytest.param({"tags": '["release", 2]'}, "tags", id="tag-not-string"),
        pytest.param({"tags": '["Release"]'}, "tags", id="tag-not-slug"),
        pytest.param({"tags": '["cost", "cost"]'}, "tags", id="duplicate-tag"),
        pytest.param({"options": '"No, Yes"'}, "options", id="options-not-list"),
        pytest.param(
            {"open_time": "2025-02-26T00:00:00"}, "open_time", id="local-datetime"
        ),
        pytest.param(
            {"open_time": "2025-02-26T01:00:00+01:00"}, "open_time", id="not-utc"
        ),
        pytest.param({"close_time": "2025-06-01"}, "close_time", id="date-only"),
        pytest.param(
            {"resolve_time": '"2025-06-01T00:00:00Z"'},
            "resolve_time",
            id="datetime-as-string",
        ),
        pytest.param({"slug": '"Bad_Slug"'}, "slug", id="slug-characters"),
        pytest.param({"slug": '""'}, "slug", id="slug-empty"),
        pytest.param({"slug": '"' + "a" * 81 + '"'}, "slug", id="slug-too-long"),
        pytest.param({"kind": '"ranking"'}, "kind", id="unknown-kind"),
        pytest.param({"options": '["Yes", "No"]'}, "options", id="binary-order"),
        pytest.param({"options": '["No", "Yes", "Maybe"]'}, "options", id="binary-3"),
        pytest.param({"ordered": "true"}, "ordered", id="ordered-binary"),
        pytest.param(
            {"kind": '"multiple_choice"', "options": '["Only"]'},
            "options",
            id="one-option",
        ),
        pytest.param(
            {"kind": '"multiple_choice"', "options": '["A", " A "]'},
            "options",
            id="duplicate-options",
        ),
        pytest.param(
            {"kind": '"multiple_choice"', "options": '["A", "  "]'},
            "options",
            id="empty-option",
        ),
        pytest.param(
            {"close_time": "2025-02-26T00:00:00Z"}, "close_time", id="close-at-open"
        ),
        pytest.param(
            {"resolve_time": "2025-05-31T23:59:59Z"},
            "resolve_time",
            id="resolve-before-close",
        ),
        pytest.param({"title": '" "'}, "title", id="blank-title"),
        pytest.param({"body": '""'}, "body", id="empty-body"),
        pytest.param(
            {"resolution_criteria": '"\\n"'}, "resolution_criteria", id="blank-criteria"
        ),
        pytest.param({"source_url": '"ftp://example.com"'}, "source_url", id="ftp"),
        pytest.param({"source_url": '"example.com/a"'}, "source_url", id="no-scheme"),
        pytest.param({"source_url": '"https://"'}, "source_url", id="no-host"),
    ],
)
def test_invalid_file_is_reported_with_file_and_field(tmp_path, overrides, field):
    path = write_seed(tmp_path, "07-bad.toml", **overrides)
    with pytest.raises(SeedError) as error:
        load_seed_file(path)
    assert str(error.value).startswith(
        f"{tmp_path.name}/07-bad.toml: field '{field}': "
    )
    assert error.value.field == field


def test_toml_syntax_error_names_the_file(tmp_path):
    path = tmp_path / "04-broken.toml"
    path.write_text('slug = "unterminated\n', encoding="utf-8")
    with pytest.raises(SeedError, match=r"04-broken\.toml: invalid TOML"):
        load_seed_file(path)


def test_duplicate_slug_names_both_files(tmp_path):
    write_seed(tmp_path, "01-first.toml", slug='"same"')
    write_seed(tmp_path, "02-second.toml", slug='"same"')
    with pytest.raises(SeedError) as error:
        load_seed_dir(tmp_path)
    message = str(error.value)
    assert message.startswith(f"{tmp_path.name}/02-second.toml: field 'slug': ")
    assert f"{tmp_path.name}/01-first.toml" in message


def test_error_in_directory_names_the_bad_file(tmp_path):
    write_seed(tmp_path, "01-good.toml", slug='"good"')
    write_seed(tmp_path, "02-bad.toml", slug='"bad"', kind='"ranking"')
    with pytest.raises(SeedError, match=r"02-bad\.toml: field 'kind': "):
        load_seed_dir(tmp_path)


def test_missing_directory_is_an_error(tmp_path):
    with pytest.raises(SeedError, match="not a directory"):
        load_seed_dir(tmp_path / "absent")
