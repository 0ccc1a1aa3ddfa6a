"""Render every article and topic: Markdown -> HTML -> themed page, on every core.

Each page is one job (its Markdown, then its template), so the work spreads over processes where
the OS can fork. Links between pages are checked afterwards, once every page's anchors are known.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from .errors import Problem, did_you_mean
from .markdown import LinkContext, Rendered, Renderer, split_title
from .model import Locale, Site
from .pages import Output, PageRenderer
from .urls import page_url, relative

PARALLEL_MIN_JOBS = 150  # below this, starting processes costs more than it saves
_ID_RE = re.compile(r"""\sid=["']([^"']+)["']""")

Job = tuple[str, str, PurePosixPath]  # (locale code, "article" | "topic", path)


@dataclass
class JobResult:
    job: Job
    rendered: Rendered | None  # None for a topic without _index.md
    output: Output


@dataclass
class RenderResult:
    outputs: list[Output]
    problems: list[Problem]  # broken links and anchors
    warnings: list[Problem]  # e.g. images without alt text


def link_context(locale: Locale, offline: bool) -> LinkContext:
    """What a page's Markdown may link to in its locale."""
    pages = frozenset(locale.articles) | frozenset(
        t.source.rel for t in locale.topics.values() if t.source
    )
    prefix = locale.prefix
    return LinkContext(
        pages=pages,
        folders=frozenset(locale.topics),
        assets=frozenset(locale.assets),
        url_of=lambda rel: page_url(rel, prefix),
        asset_url=lambda rel: f"{prefix}{rel}",
        relative=lambda a, b: relative(a, b, offline),
        prefix=prefix,
        by_url={page_url(p): p for p in pages},
    )


class _Worker:
    """Everything a job needs; inherited by forked processes, never pickled."""

    current: _Worker | None = None

    def __init__(self, site: Site, pages: PageRenderer) -> None:
        self.site = site
        self.pages = pages
        self.contexts = {
            code: link_context(loc, site.config.offline) for code, loc in site.locales.items()
        }
        self._markdown: Renderer | None = None

    @property
    def markdown(self) -> Renderer:
        if self._markdown is None:  # one per process: a Markdown instance is not shareable
            self._markdown = Renderer()
        return self._markdown

    def run(self, job: Job) -> JobResult:
        code, kind, path = job
        locale = self.site.locales[code]
        ctx = self.contexts[code]
        if kind == "article":
            article = locale.articles[path]
            out = self.markdown.render(
                article.source, article.body, article.body_line, article.url, ctx
            )
            article.html, article.headings, article.sections, article.links = (
                out.html,
                out.headings,
                out.sections,
                out.links,
            )
            return JobResult(job, out, self.pages.article_page(locale, article))
        topic = locale.topics[path]
        out = None
        if topic.source:
            body, line = topic.source.body, topic.source.body_line
            h1, rest, skipped = split_title(body)
            if h1 and h1 == topic.title:  # the title is shown once, from the template
                body, line = rest, line + skipped
            out = self.markdown.render(topic.source, body, line, topic.url, ctx)
            topic.intro_html = out.html
        return JobResult(job, out, self.pages.topic_page(locale, topic))


def _run(job: Job) -> JobResult:
    assert _Worker.current is not None
    return _Worker.current.run(job)


def _map(jobs: list[Job]) -> Iterator[JobResult]:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if (
        (cores or 1) < 2
        or len(jobs) < PARALLEL_MIN_JOBS
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from map(_run, jobs)
        return
    with multiprocessing.get_context("fork").Pool(cores) as pool:
        yield from pool.imap(_run, jobs, chunksize=max(1, min(32, len(jobs) // (cores * 8))))


def render_site(
    site: Site, pages: PageRenderer, progress: Callable[[int, int], None] | None = None
) -> RenderResult:
    """Render all articles and topics; fill the model's HTML, headings and sections."""
    jobs: list[Job] = []
    for code, loc in site.locales.items():
        jobs += [(code, "topic", p) for p in loc.topics]
        jobs += [(code, "article", p) for p in loc.articles]
    _Worker.current = _Worker(site, pages)
    outputs: list[Output] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    ids: dict[tuple[str, PurePosixPath], set[str]] = {}
    links = []
    try:
        for done, result in enumerate(_map(jobs), 1):
            outputs.append(result.output)
            code, kind, path = result.job
            rendered = result.rendered
            if progress:
                progress(done, len(jobs))
            if rendered is None:
                continue
            loc = site.locales[code]
            if kind == "article":  # results from other processes: copy into this model
                article = loc.articles[path]
                article.html, article.headings, article.sections, article.links = (
                    rendered.html,
                    rendered.headings,
                    rendered.sections,
                    rendered.links,
                )
                src = article.source
            else:
                loc.topics[path].intro_html = rendered.html
                src = loc.topics[path].source
            assert src is not None
            problems += [Problem(msg, src.path, ln, hint) for ln, msg, hint in rendered.problems]
            warnings += [Problem(msg, src.path, ln) for ln, msg in rendered.warnings]
            ids[(code, src.rel)] = set(_ID_RE.findall(rendered.html))
            links += [(code, src, ref) for ref in rendered.links]
    finally:
        _Worker.current = None
    problems += _missing_anchors(links, ids)
    return RenderResult(outputs, problems, warnings)


def _missing_anchors(
    links: Iterable, ids: dict[tuple[str, PurePosixPath], set[str]]
) -> list[Problem]:
    problems = []
    for code, src, ref in links:
        known = ids.get((code, ref.target), set())
        if ref.fragment and ref.fragment not in known:
            hint = did_you_mean(ref.fragment, known) or (
                "anchors are the heading text in lower case with hyphens, "
                "or an explicit {#id} after the heading"
            )
            problems.append(
                Problem(
                    f"link to a missing anchor '#{ref.fragment}' in {ref.target}",
                    src.path,
                    ref.line,
                    hint,
                )
            )
    return problems
