"""Template filters for probabilities, scores, times and question text."""

from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from forecasts import continuous, markdown
from forecasts.forms import STATUS_LABELS

register = template.Library()


@register.filter
def percent(value, places=2):
    """Return a probability as a percentage: 0.725 -> "72.5%", None -> "—"."""
    if value is None or value == "":
        return "—"
    number = (Decimal(str(value)) * 100).quantize(
        Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP
    )
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


@register.filter
def chance(value, places=2):
    """Return a forecast probability as `percent` does, never as a certainty.

    In whole percent (lists and community summaries) a forecast that rounds
    to 0% or 100% shows as "<1%" or ">99%": no forecast here is ever certain.
    """
    text = percent(value, places)
    if int(places) == 0 and text in ("0%", "100%"):
        return "<1%" if text == "0%" else ">99%"
    return text


def _signed(value: float, places: int) -> str:
    """Return value to `places` decimals with a true minus sign and never −0."""
    text = f"{value:.{places}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace("-", "−")


@register.filter
def score(value):
    """Return a score to 3 decimals with a true minus sign, or "—" for none."""
    if value is None:
        return "—"
    return _signed(value, 3)


@register.filter
def relative(value):
    """Return a relative Brier like `score`; a missing one links to the reason."""
    if value is not None:
        return score(value)
    return format_html(
        '<a class="explain" href="{}#relative-missing" title="{}">—</a>',
        reverse("forecasts:scoring"),
        "No community forecast existed while this forecast stood",
    )


@register.filter
def points(value):
    """Return market points to 1 decimal with a true minus sign, or "—"."""
    if value is None:
        return "—"
    return _signed(value, 1)


@register.filter
def when(moment):
    """Return a <time> in UTC that static/forecasts/site.js shows in local time."""
    if moment is None:
        return "—"
    utc = moment.astimezone(UTC)
    return format_html(
        '<time datetime="{}" data-local>{} UTC</time>',
        utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        utc.strftime("%Y-%m-%d %H:%M"),
    )


@register.filter
def when_date(moment):
    """Return a <time> showing the date only, localised like `when`."""
    if moment is None:
        return "—"
    utc = moment.astimezone(UTC)
    return format_html(
        '<time datetime="{}" data-local="date">{} UTC</time>',
        utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        utc.strftime("%Y-%m-%d %H:%M"),
    )


@register.filter(name="markdown")
def markdown_filter(text):
    """Return Markdown as sanitised HTML."""
    return mark_safe(markdown.render(text or ""))  # noqa: S308 - nh3-cleaned


@register.filter
def option(question, index):
    """Return the label of option `index` of a question."""
    if index is None:
        return "—"
    return question.options[index]


@register.filter
def labelled(question, vector):
    """Return (option label, probability) pairs of a question's vector."""
    return list(zip(question.options, vector or [], strict=False))


@register.filter
def leading(question, vector):
    """Return (label, probability) of the option the vector rates highest."""
    pairs = labelled(question, vector)
    return max(pairs, key=lambda pair: pair[1]) if pairs else None


@register.filter
def segments(vector):
    """Return (colour index, x, width) in percent for a stacked bar of a vector."""
    bars, x = [], 0.0
    for index, p in enumerate(vector or []):
        width = float(p) * 100
        bars.append((index % 8, round(x, 3), round(width, 3)))
        x += width
    return bars


@register.filter
def at(sequence, index):
    """Return sequence[index], or None when there is none."""
    try:
        return sequence[index]
    except (IndexError, KeyError, TypeError):
        return None


@register.filter
def status_label(status):
    """Return a status as people read it: "closed" -> "Closed, awaiting resolution"."""
    return STATUS_LABELS.get(status, status)


@register.simple_tag
def explain(anchor, text="?"):
    """Return a link to the scoring explanation of one score."""
    url = reverse("forecasts:scoring") + f"#{anchor}"
    return format_html(
        '<a class="explain" href="{}" title="How scoring works">{}</a>', url, text
    )


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """Return the current query string with some parameters replaced."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}" if params else "?"


@register.filter
def cdf_summary(cdf, question):
    """Return a CDF's median and 80% interval in the question's unit."""
    if not cdf:
        return "—"
    return str(continuous.summary(question, cdf))


@register.filter
def range_text(question):
    """Return a numeric or date question's range: "32.8K – 16.8M tokens"."""
    low = continuous.display_value(question, question.range_min)
    high = continuous.display_value(question, question.range_max)
    if question.unit:
        low = low.removesuffix(f" {question.unit}")
    return f"{low} – {high}"


@register.filter
def question_value(value, question):
    """Return a resolved value of a numeric or date question as pages show it."""
    if value is None:
        return "—"
    return continuous.display_value(question, value)


@register.filter
def entry_vector(entry, question):
    """Return an entry's forecast as fractions (a CDF for numeric and dates)."""
    return [v / question.vector_unit for v in entry.probabilities_bp]


@register.filter
def input_summary(given, question):
    """Return how a numeric or date forecast was given, in a few words."""
    return continuous.input_summary(question, given)
