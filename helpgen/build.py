"""The pipeline: load -> model -> render -> write, and the safe swap of the output folder."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from .config import Config, load_config
from .errors import HelpgenError, Problem
from .loader import ContentTree, load_tree
from .locales import guess_language
from .model import Site, build_site
from .pages import Output, PageRenderer
from .render import render_site
from .search.index import build_index
from .theme import Theme

MARKER = ".helpgen-output"

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class BuildReport:
    out_dir: Path
    pages: dict[str, int]  # locale -> HTML pages
    files: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)


def build(
    root: Path,
    out_dir: Path | None = None,
    config_path: Path | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    overrides: dict[str, object] | None = None,
) -> BuildReport:
    """Build the site at `root` into `out_dir` (default root/build). Raises HelpgenError."""
    started = time.perf_counter()
    root = root.resolve()
    config = load_config(root, config_path.resolve() if config_path else None)
    if overrides:
        config = dataclasses.replace(config, **overrides)
    out_dir = (out_dir or root / "build").resolve()
    _check_out_dir(out_dir, config)
    trees = load_content(config, skip=(out_dir, root / "themes"))
    if not config.language_set:
        # titles are what a reader sees first (navigation, cards): weigh them with the text
        guessed = guess_language(
            f"{s.meta.get('title', '')} " * 3 + s.body for t in trees.values() for s in t.pages
        )
        if guessed:
            trees = {guessed: next(iter(trees.values()))}
            config = dataclasses.replace(config, locales=(guessed,))
    site = build_site(config, trees)
    theme = Theme.for_site(root, config.theme)
    static = theme.static_files()
    renderer = PageRenderer(site, theme, static)
    result = render_site(
        site, renderer, (lambda d, t: progress("pages", d, t)) if progress else None
    )
    if result.problems and config.broken_links == "error":
        raise HelpgenError(result.problems)
    warnings = result.problems + result.warnings
    if strict and warnings:
        raise HelpgenError(warnings)
    outputs = result.outputs + list(renderer.extra_pages())
    for loc in site.locales.values():
        data = build_index(loc, config.synonyms)
        outputs += [
            Output(f"{loc.prefix}search/{name}", text) for name, text in data.files(config.offline)
        ]
    _check_unique(outputs)
    if config.base_url:
        outputs.append(Output("sitemap.xml", sitemap(site)))
    copies = {f"static/{name}": path for name, path in static.items()}
    for loc in site.locales.values():
        for rel, path in loc.assets.items():
            copies[f"{loc.prefix}{rel}"] = path
    write_output(out_dir, outputs, copies)
    pages = {
        code: sum(
            1
            for o in outputs
            if o.path.endswith(".html") and (o.path.startswith(loc.prefix) if loc.prefix else True)
        )
        for code, loc in site.locales.items()
    }
    return BuildReport(
        out_dir, pages, len(outputs) + len(copies), time.perf_counter() - started, warnings
    )


def load_content(config: Config, skip: tuple[Path, ...] = ()) -> dict[str, ContentTree]:
    content = config.content_dir
    if not content.is_dir():
        raise HelpgenError.at(
            "no content/ folder here",
            config.root,
            hint="run helpgen in your site's folder, or create one: helpgen init DIR",
        )
    if not config.multilingual:
        return {config.default_locale: load_tree(content, skip)}
    missing = [code for code in config.locales if not (content / code).is_dir()]
    if missing:
        raise HelpgenError.at(
            f"no content folder for locale(s) {', '.join(missing)}",
            config.source,
            None,
            hint=f"create content/{missing[0]}/ or remove it from 'locales'",
        )
    problems: list[Problem] = []
    trees = {}
    for code in config.locales:
        try:
            trees[code] = load_tree(content / code, skip)
        except HelpgenError as exc:
            problems.extend(exc.problems)
    if problems:
        raise HelpgenError(problems)
    return trees


def _check_unique(outputs: list[Output]) -> None:
    seen: set[str] = set()
    for out in outputs:
        if out.path in seen:
            raise HelpgenError.at(
                f"two pages would be written to '{out.path}'",
                hint="an alias or file name is used twice; rename one",
            )
        seen.add(out.path)


def sitemap(site: Site) -> str:
    base = site.config.base_url or ""
    rows = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    multi = len(site.locales) > 1
    for loc in site.locales.values():
        for path, page in [*loc.topics.items(), *loc.articles.items()]:
            rows.append(f"  <url><loc>{escape(base + page.url)}</loc>")
            if page_mod := getattr(page.meta, "updated", None):
                rows.append(f"    <lastmod>{page_mod.isoformat()}</lastmod>")
            if multi:
                for code, other in site.locales.items():
                    key = path if path in other.articles or path in other.topics else None
                    if key is not None:
                        url = (
                            other.articles[key].url
                            if key in other.articles
                            else other.topics[key].url
                        )
                        rows.append(
                            f'    <xhtml:link rel="alternate" hreflang="{escape(code)}" '
                            f'href="{escape(base + url)}"/>'
                        )
            rows.append("  </url>")
    rows.append("</urlset>\n")
    return "\n".join(rows)


# --- writing ---------------------------------------------------------------------------------
def _check_out_dir(out_dir: Path, config: Config) -> None:
    content = config.content_dir.resolve()
    if out_dir == config.root or out_dir in content.parents or out_dir == content:
        raise HelpgenError.at(
            f"refusing to build into {out_dir}: it holds your content",
            hint="choose an output folder of its own, e.g. -o build",
        )
    _owned_files(out_dir)


def _owned_files(out_dir: Path) -> set[str]:
    """Files helpgen wrote into out_dir last time; error if out_dir holds anything else."""
    if not out_dir.exists():
        return set()
    if not out_dir.is_dir():
        raise HelpgenError.at(f"{out_dir} is a file, not a folder", hint="choose another -o folder")
    marker = out_dir / MARKER
    present = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if not p.is_dir()}
    if not marker.is_file():
        if present:
            raise HelpgenError.at(
                f"refusing to write into {out_dir}: helpgen did not create it",
                hint="choose an empty or new folder with -o, or move it away",
            )
        return set()
    try:
        owned = set(json.loads(marker.read_text(encoding="utf-8"))["files"])
    except (ValueError, KeyError, TypeError):
        raise HelpgenError.at(
            f"{marker} is damaged", hint="delete the output folder yourself"
        ) from None
    foreign = sorted(present - owned - {MARKER})
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise HelpgenError.at(
            f"{out_dir} holds files helpgen did not write: {shown}",
            hint="move them elsewhere; helpgen never deletes files it did not write",
        )
    return owned


def write_output(out_dir: Path, outputs: list[Output], copies: dict[str, Path]) -> None:
    """Write all to a fresh sibling folder, then swap it in: a failure leaves the old site."""
    _owned_files(out_dir)  # re-check just before replacing
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        tmp.mkdir()
        made: set[Path] = set()
        for out in outputs:
            target = tmp / out.path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_text(out.text, encoding="utf-8")
        for rel, src in copies.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
        files = sorted({o.path for o in outputs} | set(copies))
        (tmp / MARKER).write_text(
            json.dumps({"generator": "helpgen", "files": files}, indent=0), encoding="utf-8"
        )
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        raise
    if old.exists():
        shutil.rmtree(old)
