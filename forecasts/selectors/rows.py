"""Model instances from rows of written-out SQL, converted as the ORM would."""

from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections, models

# Per connection (one per thread): its converters are its own bound methods.
_READERS: WeakKeyDictionary = WeakKeyDictionary()


def instance_from_row(model: type[models.Model], row) -> models.Model:
    """Return the instance whose concrete fields, in order, start the row."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    readers = _READERS.setdefault(wrapper, {})
    if model not in readers:
        readers[model] = _reading(model, wrapper)
    attnames, converters = readers[model]
    values = list(row[: len(attnames)])
    for at, column, convert in converters:
        values[at] = convert(values[at], column, wrapper)
    return model.from_db(wrapper.alias, attnames, values)


def _reading(model: type[models.Model], wrapper) -> tuple[list[str], list]:
    """Return the model's field names and each converter with its field's place.

    Found once per model and connection: looking them up cost more than the
    lookup's own query on the forecast write.
    """
    fields = model._meta.concrete_fields
    converters = []
    for at, field in enumerate(fields):
        column = field.cached_col
        found = wrapper.ops.get_db_converters(column)
        found += field.get_db_converters(wrapper)
        converters += [(at, column, convert) for convert in found]
    return [field.attname for field in fields], converters
