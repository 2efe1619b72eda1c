"""A fingerprint of every application table: rows and a checksum of their contents."""

import hashlib

from django.apps import apps

APPS = ("accounts", "forecasts", "authtoken")


def application_models() -> list:
    """Return a model per table of the accounts, forecasts and authtoken apps.

    Many-to-many tables (question tags, user groups) included, proxies not.
    """
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.proxy
    ]


def snapshot() -> dict[str, tuple[int, str]]:
    """Return {table: (rows, SHA-256 of every column of every row in pk order)}."""
    state = {}
    for model in application_models():
        columns = [field.attname for field in model._meta.concrete_fields]
        rows = list(model._base_manager.order_by("pk").values_list(*columns))
        digest = hashlib.sha256(repr(rows).encode("utf-8", "surrogatepass"))
        state[model._meta.label_lower] = (len(rows), digest.hexdigest())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    """Return the tables whose rows differ between two snapshots."""
    return sorted(
        name
        for name in before.keys() | after.keys()
        if before.get(name) != after.get(name)
    )
