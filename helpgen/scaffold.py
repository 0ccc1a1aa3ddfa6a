"""`helpgen init` and `helpgen new`: files a writer starts from. Never overwrites anything."""

from __future__ import annotations

import re
from pathlib import Path

from .config import load_config
from .errors import HelpgenError

_SAFE_PART = re.compile(r"^[\w][\w.-]*$", re.UNICODE)

ARTICLE = """---
title: {title}
description: One sentence that says what this article answers.
---

Start with the answer in one or two sentences.

## Steps

1. First step.
2. Second step.

## If that didn't work

Tell the reader what to try next, or how to reach us.
"""

TOPIC = """---
title: {title}
description: What customers find in this topic.
---
"""

CONFIG = """# helpgen settings; every key is optional
title = "{title}"
language = "en"
# base_url = "https://help.example.com/"   # enables sitemap.xml and canonical links

[contact]
intro = "Our support team answers within one business day."

[[contact.channels]]
id = "email"
type = "email"
url = "support@example.com"
label = "Email us"
promise = "We reply within one business day."
"""

HOME = """---
title: {title}
description: Answers to your questions, in one place.
---
"""


def _content_path(root: Path, path: str, suffix: str) -> Path:
    config = load_config(root)
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        raise HelpgenError.at(
            f"'{path}' is an absolute path",
            hint="give a path inside content/, e.g. orders/cancel-an-order",
        )
    parts = [p for p in path.replace("\\", "/").strip("/").split("/") if p]
    if not parts or not all(_SAFE_PART.match(p) and p not in (".", "..") for p in parts):
        raise HelpgenError.at(
            f"'{path}' is not a usable path",
            hint="use lowercase words and hyphens, e.g. orders/cancel-an-order",
        )
    base = config.content_dir
    if config.multilingual and parts[0] not in config.locales:
        base = base / config.default_locale
    target = base.joinpath(*parts)
    if suffix and target.suffix != ".md":
        target = target.with_name(target.name + suffix)
    return target


def _title(name: str) -> str:
    words = re.sub(r"\.md$", "", name).replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) or "Untitled"


def _quote(title: str) -> str:
    """A title as a YAML scalar that always parses back to itself."""
    return '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_article(root: Path, path: str, title: str | None) -> Path:
    target = _content_path(root, path, ".md")
    if target.exists():
        raise HelpgenError.at(
            "already exists", target, hint="pick another name; nothing was changed"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(ARTICLE.format(title=_quote(title or _title(target.name))), encoding="utf-8")
    return target


def new_topic(root: Path, path: str, title: str | None) -> Path:
    folder = _content_path(root, path, "")
    target = folder / "_index.md"
    if target.exists():
        raise HelpgenError.at(
            "already exists", target, hint="pick another name; nothing was changed"
        )
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(TOPIC.format(title=_quote(title or _title(folder.name))), encoding="utf-8")
    return target


def init_site(directory: Path, title: str) -> None:
    if directory.exists() and any(directory.iterdir()):
        raise HelpgenError.at(
            f"{directory} is not empty",
            hint="choose a new folder; helpgen init never overwrites files",
        )
    toml_title = title.replace("\\", "\\\\").replace('"', '\\"')
    files = {
        "helpgen.toml": CONFIG.format(title=toml_title),
        "content/_index.md": HOME.format(title=_quote(title)),
        "content/getting-started/_index.md": TOPIC.format(title=_quote("Getting started")),
        "content/getting-started/welcome.md": ARTICLE.format(title=_quote("Welcome")),
    }
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (directory / ".gitignore").write_text("build/\n.build.helpgen/\n", encoding="utf-8")
