"""Tournaments: a dated, public or private view over questions and their scores."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from forecasts.models import Question


class Visibility(models.TextChoices):
    PUBLIC = "public"
    PRIVATE = "private"


class Phase(models.TextChoices):
    UPCOMING = "upcoming"
    RUNNING = "running"
    OVER = "over"


def new_invite_token() -> str:
    """Return a fresh invite token: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


class Tournament(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    start_time = models.DateTimeField()
    end_time = models.DateTimeField()
    visibility = models.CharField(
        max_length=10, choices=Visibility, default=Visibility.PUBLIC
    )
    questions = models.ManyToManyField(Question, blank=True, related_name="tournaments")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="tournaments"
    )
    # Whoever holds it may join; staff rotate it to shut an old link.
    invite_token = models.CharField(
        max_length=64, default=new_invite_token, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_time", "slug"]

    def __str__(self):
        return self.title

    @property
    def is_private(self) -> bool:
        return self.visibility == Visibility.PRIVATE

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "Must be after the start time."})

    def phase(self, now=None) -> str:
        """Return whether the tournament is upcoming, running or over."""
        now = now or timezone.now()
        if now < self.start_time:
            return Phase.UPCOMING
        return Phase.RUNNING if now < self.end_time else Phase.OVER
