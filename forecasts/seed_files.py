"""Load and validate the question seed files kept in ``seeds/``.

Standard library only, so the seeds can be checked without configuring Django.
"""

import re
import tomllib
from dataclasses import MISSING, dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

BINARY = "binary"
MULTIPLE_CHOICE = "multiple_choice"
NUMERIC = "numeric"
DATE = "date"
KINDS = (BINARY, MULTIPLE_CHOICE, NUMERIC, DATE)
SCALES = ("linear", "log")
BINARY_OPTIONS = ("No", "Yes")
SLUG_RE = re.compile(r"[a-z0-9-]+")
SLUG_MAX_LENGTH = 80
URL_RE = re.compile(r"https?://[^\s/?#]+\S*")
REQUIRED_TEXT = ("title", "body", "resolution_criteria")


def _display(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


class SeedError(ValueError):
    """A seed file that cannot be loaded; the message names the file and field."""

    def __init__(self, path: Path, problem: str, field: str | None = None) -> None:
        self.path = path
        self.field = field
        where = _display(path)
        if field is not None:
            where += f": field '{field}'"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class SeedQuestion:
    slug: str
    title: str
    kind: str
    options: tuple[str, ...]
    ordered: bool
    tags: tuple[str, ...]
    open_time: datetime
    close_time: datetime
    resolve_time: datetime
    hide_community_until_forecast: bool
    source_title: str
    source_url: str
    body: str
    resolution_criteria: str
    # Numeric and date questions only (dates: TOML date-times in UTC).
    range_min: float | datetime | None = None
    range_max: float | datetime | None = None
    scale: str = "linear"
    open_lower_bound: bool = False
    open_upper_bound: bool = False
    unit: str = ""


def load_seed_dir(path: Path) -> list[SeedQuestion]:
    """Return the questions of every ``*.toml`` file in a directory, by file name."""
    path = Path(path)
    if not path.is_dir():
        raise SeedError(path, "not a directory")
    files = sorted(path.glob("*.toml"), key=lambda file: file.name)
    questions = [load_seed_file(file) for file in files]
    _check_unique_slugs(files, questions)
    return questions


def load_seed_file(path: Path) -> SeedQuestion:
    """Return the validated question defined by one seed file."""
    path = Path(path)
    data = _read_toml(path)
    _check_field_names(path, data)
    values = {
        field.name: _CONVERTERS[field.type](path, field.name, data[field.name])
        for field in fields(SeedQuestion)
        if field.name in data
    }
    question = SeedQuestion(**values)
    for check in _CHECKS:
        check(path, question)
    return question


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SeedError(path, f"invalid TOML: {exc}") from exc


def _check_field_names(path: Path, data: dict) -> None:
    expected = {field.name for field in fields(SeedQuestion)}
    required = {f.name for f in fields(SeedQuestion) if f.default is MISSING}
    missing = sorted(required - data.keys())
    if missing:
        raise SeedError(path, "missing", missing[0])
    unknown = sorted(data.keys() - expected)
    if unknown:
        raise SeedError(path, "unknown field", unknown[0])


def _check_unique_slugs(files: list[Path], questions: list[SeedQuestion]) -> None:
    first_file: dict[str, Path] = {}
    for file, question in zip(files, questions, strict=True):
        first = first_file.setdefault(question.slug, file)
        if first != file:
            problem = f"{question.slug!r} is already used by {_display(first)}"
            raise SeedError(file, problem, "slug")


# Converters: check the TOML type of one field and return the dataclass value.


def _as_str(path: Path, name: str, value: object) -> str:
    if not isinstance(value, str):
        raise SeedError(path, "must be a string", name)
    return value


def _as_bool(path: Path, name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise SeedError(path, "must be true or false", name)
    return value


def _as_str_tuple(path: Path, name: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SeedError(path, "must be a list of strings", name)
    return tuple(value)


def _as_utc(path: Path, name: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        problem = "must be an offset date-time such as 2025-02-26T00:00:00Z"
        raise SeedError(path, problem, name)
    if value.utcoffset() != timedelta(0):
        raise SeedError(path, "must be in UTC (end with Z)", name)
    return value.replace(tzinfo=UTC)


def _as_range_end(path: Path, name: str, value: object) -> float | datetime:
    if isinstance(value, datetime):
        return _as_utc(path, name, value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SeedError(path, "must be a number, or a date-time for dates", name)
    return float(value)


_CONVERTERS = {
    float | datetime | None: _as_range_end,
    str: _as_str,
    bool: _as_bool,
    tuple[str, ...]: _as_str_tuple,
    datetime: _as_utc,
}


# Checks: rules on converted values, run in order; the first failure is raised.


def _check_slug(path: Path, question: SeedQuestion) -> None:
    if not SLUG_RE.fullmatch(question.slug):
        raise SeedError(path, "must use only a-z, 0-9 and '-'", "slug")
    if len(question.slug) > SLUG_MAX_LENGTH:
        raise SeedError(path, f"must be at most {SLUG_MAX_LENGTH} characters", "slug")


def _check_text(path: Path, question: SeedQuestion) -> None:
    for name in REQUIRED_TEXT:
        if not getattr(question, name).strip():
            raise SeedError(path, "must not be empty", name)


def _check_kind(path: Path, question: SeedQuestion) -> None:
    if question.kind not in KINDS:
        raise SeedError(path, f"must be one of {', '.join(KINDS)}", "kind")
    if question.ordered and question.kind != MULTIPLE_CHOICE:
        problem = "only multiple choice questions can be ordered"
        raise SeedError(path, problem, "ordered")


def _check_range(path: Path, question: SeedQuestion) -> None:
    if question.kind not in (NUMERIC, DATE):
        for name in ("range_min", "range_max"):
            if getattr(question, name) is not None:
                raise SeedError(path, "only numeric and date questions", name)
        return
    wanted = datetime if question.kind == DATE else float
    for name in ("range_min", "range_max"):
        if not isinstance(getattr(question, name), wanted):
            expected = "a date-time" if wanted is datetime else "a number"
            raise SeedError(path, f"must be {expected}", name)
    if question.range_max <= question.range_min:
        raise SeedError(path, "must be above range_min", "range_max")
    if question.scale not in SCALES or (
        question.kind == DATE and question.scale != "linear"
    ):
        raise SeedError(path, "must be linear, or log for numbers", "scale")
    if question.scale == "log" and question.range_min <= 0:
        raise SeedError(path, "must be above 0 on a log scale", "range_min")
    if question.kind == DATE and question.unit:
        raise SeedError(path, "must be empty for dates", "unit")


def _check_options(path: Path, question: SeedQuestion) -> None:
    if question.kind in (NUMERIC, DATE):
        if question.options:
            raise SeedError(path, "must be empty for numeric and dates", "options")
        return
    if question.kind == BINARY:
        if question.options != BINARY_OPTIONS:
            raise SeedError(path, 'must be exactly ["No", "Yes"]', "options")
        return
    labels = [label.strip() for label in question.options]
    if len(labels) < 2:
        raise SeedError(path, "must have at least two options", "options")
    if not all(labels):
        raise SeedError(path, "labels must not be empty", "options")
    if len(set(labels)) != len(labels):
        raise SeedError(path, "labels must be distinct", "options")


def _check_tags(path: Path, question: SeedQuestion) -> None:
    for tag in question.tags:
        if not SLUG_RE.fullmatch(tag):
            raise SeedError(path, f"{tag!r} must use only a-z, 0-9 and '-'", "tags")
    if len(set(question.tags)) != len(question.tags):
        raise SeedError(path, "tags must be distinct", "tags")


def _check_times(path: Path, question: SeedQuestion) -> None:
    if question.close_time <= question.open_time:
        raise SeedError(path, "must be after open_time", "close_time")
    if question.resolve_time < question.close_time:
        raise SeedError(path, "must not be before close_time", "resolve_time")


def _check_source_url(path: Path, question: SeedQuestion) -> None:
    if question.source_url and not URL_RE.fullmatch(question.source_url):
        raise SeedError(path, "must be empty or an http(s) URL", "source_url")


_CHECKS = (
    _check_slug,
    _check_text,
    _check_kind,
    _check_range,
    _check_options,
    _check_tags,
    _check_times,
    _check_source_url,
)
