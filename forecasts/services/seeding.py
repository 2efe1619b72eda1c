"""Load the article's questions from seeds/ into the database, idempotently."""

from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from forecasts.models import Question
from forecasts.seed_files import SeedError, SeedQuestion, load_seed_dir
from forecasts.services.questions import create_question, update_question


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@transaction.atomic
def load_seeds(*, directory: Path) -> SeedReport:
    """Create or update one question per seed file; forecasts are never touched.

    Seed questions are published at their open time. A rerun changes only what
    the files changed; criteria changed after the first forecast become dated
    clarifications.
    """
    report = SeedReport()
    seeds = load_seed_dir(directory)
    files = sorted(Path(directory).glob("*.toml"), key=lambda file: file.name)
    for path, seed in zip(files, seeds, strict=True):
        fields = _question_fields(seed)
        existing = Question.objects.filter(slug=seed.slug).first()
        try:
            if existing is None:
                create_question(tags=seed.tags, publish=False, **fields)
                report.created.append(seed.slug)
            elif _apply_changes(existing, seed, fields):
                report.updated.append(seed.slug)
            else:
                report.unchanged.append(seed.slug)
        except ValidationError as error:
            raise _seed_error(path, error) from None
    return report


def _question_fields(seed: SeedQuestion) -> dict:
    fields = asdict(seed)
    fields.pop("tags")
    fields["options"] = list(seed.options)
    fields["published_at"] = seed.open_time
    for name in ("range_min", "range_max"):
        if isinstance(fields[name], datetime):
            fields[name] = fields[name].timestamp()
    return fields


def _apply_changes(question: Question, seed: SeedQuestion, fields: dict) -> bool:
    changed = {k: v for k, v in fields.items() if getattr(question, k) != v}
    tags = sorted(seed.tags)
    tags_changed = sorted(question.tags.values_list("slug", flat=True)) != tags
    if not changed and not tags_changed:
        return False
    update_question(question=question, tags=tags if tags_changed else None, **changed)
    return True


def _seed_error(path: Path, error: ValidationError) -> SeedError:
    name, messages = next(iter(error.message_dict.items()))
    return SeedError(path, "; ".join(messages), field=name)
