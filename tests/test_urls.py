from pathlib import PurePosixPath as P

import pytest

from helpgen.urls import output_file, page_url, relative


@pytest.mark.parametrize(
    ("rel", "prefix", "url"),
    [
        ("orders/cancel.md", "", "orders/cancel/"),
        ("orders/_index.md", "", "orders/"),
        ("_index.md", "", ""),
        ("_index.md", "he/", "he/"),
        ("a/b/c/d.md", "zh-CN/", "zh-CN/a/b/c/d/"),
    ],
)
def test_page_url(rel, prefix, url):
    assert page_url(P(rel), prefix) == url


@pytest.mark.parametrize(
    ("src", "dst", "offline", "href"),
    [
        ("orders/cancel/", "returns/policy/", False, "../../returns/policy/"),
        ("orders/cancel/", "returns/policy/#refunds", False, "../../returns/policy/#refunds"),
        ("orders/cancel/", "returns/policy/", True, "../../returns/policy/index.html"),
        ("", "orders/", False, "orders/"),
        ("orders/", "", False, "../"),
        ("orders/", "", True, "../index.html"),
        ("orders/", "orders/", False, "./"),
        ("404.html", "static/css/a.css", False, "static/css/a.css"),
        ("he/a/", "he/static/x.svg", False, "../static/x.svg"),
    ],
)
def test_relative(src, dst, offline, href):
    assert relative(src, dst, offline) == href


def test_relative_quotes_spaces_but_keeps_fragment():
    assert relative("", "images/my photo.png") == "images/my%20photo.png"
    assert relative("a/", "b/#שלב") == "../b/#שלב"


def test_output_file():
    assert output_file("") == "index.html"
    assert output_file("a/b/") == "a/b/index.html"
    assert output_file("404.html") == "404.html"
