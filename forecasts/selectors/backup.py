"""What a backup reads: every table that makes up the site's data, in id order."""

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder

from discussion.models import Comment, CommentEmail
from forecasts.models import (
    Clarification,
    CommunityPoint,
    Entry,
    LedgerHead,
    Notification,
    NotificationSettings,
    PracticeRemoval,
    Question,
    ResolutionEvent,
    Score,
    Scoring,
    Standing,
    Tag,
)
from proposals.models import Proposal
from tournaments.models import Tournament

# Left out: API tokens (anyone holding a backup could use them), sessions,
# users' groups and permissions (the site's rights are is_staff and
# is_superuser), the admin's log, and Django's content types.
BACKED_UP_APPS = ("accounts", "forecasts", "tournaments", "discussion", "proposals")


def backup_models() -> list[type[models.Model]]:
    """Return the backed-up models, each after every model it refers to."""
    return [
        get_user_model(),
        Tag,
        Question,
        Question.tags.through,
        LedgerHead,
        Clarification,
        Entry,
        Standing,
        ResolutionEvent,
        Scoring,
        Score,
        CommunityPoint,
        PracticeRemoval,
        NotificationSettings,
        Notification,
        # Without them a restore would make private-only questions public.
        Tournament,
        Tournament.questions.through,
        Tournament.members.through,
        # In id order a reply follows the comment it answers.
        Comment,
        CommentEmail,
        Proposal,
    ]


def table_columns(model: type[models.Model]) -> list[str]:
    """Return the model's stored columns by attribute name: user_id, not user."""
    return [field.attname for field in model._meta.concrete_fields]


def table_rows(model: type[models.Model], columns: list[str]) -> Iterator[tuple]:
    """Yield the model's rows as tuples of `columns`, in primary-key order."""
    rows = model._base_manager.order_by("pk").values_list(*columns)
    return rows.iterator(chunk_size=2000)


def latest_migrations() -> dict[str, str]:
    """Return the last applied migration of each backed-up app."""
    applied = MigrationRecorder(connection).applied_migrations()
    latest = {}
    for app, name in sorted(applied):
        if app in BACKED_UP_APPS:
            latest[app] = name
    return latest


def applied_migrations() -> set[tuple[str, str]]:
    """Return every (app, migration) applied to this database."""
    return set(MigrationRecorder(connection).applied_migrations())


def non_empty_tables() -> list[str]:
    """Return the backed-up tables that hold any row."""
    return [
        model._meta.label_lower
        for model in backup_models()
        if model._base_manager.exists()
    ]
