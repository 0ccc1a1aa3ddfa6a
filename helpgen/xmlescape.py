"""XML escaping as xml.sax.saxutils does it, without importing it: saxutils brings in
urllib.request, http.client and the email package, most of a tenth of a second of every
command's start on a slow machine."""

from __future__ import annotations


def escape(value: str) -> str:
    """Text content: &, < and > escaped (saxutils.escape)."""
    return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(value: str) -> str:
    """An attribute value with its quotes (saxutils.quoteattr): double ones, or single ones
    around a value holding only double quotes."""
    value = escape(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"{}"'.format(value.replace('"', "&quot;"))
