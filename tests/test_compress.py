"""Precompressed copies: they decompress to the file, come out the same every time, and are
made only for text files big enough to gain."""

import gzip
import random

import brotli
import pytest

from helpgen.compress import MIN_SAVING, compressed

PAGE = ("<p>Track your parcel from the Orders page.</p>\n" * 40).encode()  # ~1.9 KB of HTML


def test_copies_decompress_to_the_file():
    copies = dict(compressed("en/orders/index.html", PAGE))
    assert list(copies) == ["en/orders/index.html.gz", "en/orders/index.html.br"]
    assert gzip.decompress(copies["en/orders/index.html.gz"]) == PAGE
    assert brotli.decompress(copies["en/orders/index.html.br"]) == PAGE
    for packed in copies.values():
        assert len(packed) <= (1 - MIN_SAVING) * len(PAGE)


def test_same_bytes_same_copies_with_no_time_or_name_in_the_gzip_header():
    first = compressed("a.css", PAGE)
    assert first == compressed("a.css", bytes(PAGE))
    gz = dict(first)["a.css.gz"]
    assert gz[3] == 0  # flags: no file name, no comment, no extra field
    assert gz[4:8] == b"\0\0\0\0"  # mtime
    assert dict(compressed("b/a.css", PAGE))["b/a.css.gz"] == gz  # the path is not inside


@pytest.mark.parametrize(
    "name",
    [
        "a.html",
        "a.HTML",
        "s.css",
        "s.js",
        "d.json",
        "sitemap.xml",
        "i.svg",
        "robots.txt",
        "m.webmanifest",
        "s.js.map",
    ],
)
def test_text_types_are_compressed(name):
    assert [n for n, _ in compressed(name, PAGE)] == [name + ".gz", name + ".br"]


@pytest.mark.parametrize("name", ["logo.png", "font.woff2", "a.pdf", "a.html.gz", "README"])
def test_other_types_are_not(name):
    assert compressed(name, PAGE) == []


def test_files_under_1_kib_are_not_compressed():
    assert compressed("a.html", PAGE[:1023]) == []
    assert len(compressed("a.html", PAGE[:1024])) == 2


def test_a_copy_that_saves_too_little_is_not_made():
    noise = random.Random(0).randbytes(4096)  # incompressible
    assert compressed("a.js", noise) == []
    assert compressed("a.js", noise[:3900] + b" " * 196) == []  # saves under 5 %
    assert len(compressed("a.js", noise[:3700] + b" " * 396)) == 2  # saves over 5 %
