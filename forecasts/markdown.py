"""Render question text from Markdown to sanitised HTML."""

import markdown as markdown_lib
import nh3

# fmt: off
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
# fmt: on
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}}
EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


def render(text: str) -> str:
    """Return Markdown text as HTML that keeps no script, style or event handler."""
    html = markdown_lib.markdown(text, extensions=EXTENSIONS)
    # nh3 drops <script>/<style> with their content and every on* attribute;
    # links leave with rel="nofollow" since question text comes from users.
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
