"""Precompressed copies of a site's text files: `x.html.gz` and `x.html.br` beside `x.html`, for
hosts that send them as they are (nginx `gzip_static`/`brotli_static`, S3 with Content-Encoding).

Pure and deterministic: the same bytes give the same copies (gzip without a time or file name).
"""

from __future__ import annotations

import gzip
from pathlib import PurePosixPath

import brotli

TEXT = frozenset({".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".webmanifest", ".map"})
SUFFIXES = (".gz", ".br")  # a copy's name is its file's name and one of these
MIN_SIZE = 1024  # bytes: smaller files gain too little to be worth a second request path
MIN_SAVING = 0.05  # a copy less than 5 % smaller than its file is not made
BROTLI_QUALITY = 10  # 11 takes about three times as long for 2–3 % fewer bytes


def compressed(path: str, data: bytes) -> list[tuple[str, bytes]]:
    """The precompressed copies of the file `data` at `path`: (path + ".gz", …), (path + ".br",
    …), each only where it saves at least MIN_SAVING; none for small or non-text files."""
    if PurePosixPath(path).suffix.lower() not in TEXT or len(data) < MIN_SIZE:
        return []
    copies = (
        (path + ".gz", gzip.compress(data, compresslevel=9, mtime=0)),
        (path + ".br", brotli.compress(data, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)),
    )
    return [
        (name, packed) for name, packed in copies if len(packed) <= len(data) * (1 - MIN_SAVING)
    ]
