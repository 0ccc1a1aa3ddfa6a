"""Render stage: every page's Markdown -> `Rendered`, on every core. Nothing is written back.

Returns a value keyed by page; a topic without an _index.md renders as empty. Problems found
inside a page (missing pages, images without alt text) come with it; links to anchors of other
pages are checked by `links.missing_anchors` once every page's anchors are known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .links import LinkTargets
from .markdown import Converter
from .model import PageKey, Rendered, Site
from .workers import fork_map

EMPTY = Rendered("")


@dataclass
class _Job:
    """Everything a page needs, inherited by forked workers; one Markdown converter per label."""

    site: Site
    targets: Mapping[str, LinkTargets]
    permalink: Mapping[str, str]
    converters: dict[str, Converter]

    def __call__(self, key: PageKey) -> Rendered:
        code, path = key
        locale = self.site.locales[code]
        page = locale.page(path)
        if page.source is None:
            return EMPTY
        label = self.permalink.get(code, "Permanent link")
        if label not in self.converters:  # a Markdown instance is costly: one per label
            self.converters[label] = Converter(label)
        return self.converters[label].convert(
            page.source.rel,
            page.source.path,
            page.body,
            page.body_line,
            page.url,
            self.targets[code],
            guide=page.meta.type == "guide",
        )


def render(
    site: Site,
    permalink: Mapping[str, str] | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[PageKey, Rendered]:
    """Every topic's and article's Rendered. `permalink`: the heading link's title per locale."""
    channels = {c.id: c.url for c in site.config.channels}
    targets = {
        code: LinkTargets.of(loc, site.config.offline, channels)
        for code, loc in site.locales.items()
    }
    job = _Job(site, targets, permalink or {}, {})
    keys = site.pages()
    rendered: dict[PageKey, Rendered] = {}
    for done, (key, result) in enumerate(zip(keys, fork_map(job, keys, jobs), strict=True), 1):
        rendered[key] = result
        if progress:
            progress(done, len(keys))
    return rendered
