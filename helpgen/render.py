"""Render stage: every page's Markdown -> `Rendered`, on every core. Nothing is written back.

Returns a value keyed by page; a topic without an _index.md renders as empty. Problems found
inside a page (missing pages, images without alt text) come with it; links to anchors of other
pages are checked by `links.missing_anchors` once every page's anchors are known.
"""

from __future__ import annotations

import dataclasses
import re
import signal
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from .cache import Entry, page_digest
from .errors import Problem
from .links import LinkTargets, resolve
from .markdown import Converter
from .model import PageKey, Rendered, Site
from .workers import fork_map

EMPTY = Rendered("")
_LONGEST_TIMER = 86_400.0 * 365  # setitimer refuses absurd values; a year is "no limit"


@dataclass
class _Job:
    """Everything a page needs, inherited by forked workers; one Markdown converter per label."""

    site: Site
    targets: Mapping[str, LinkTargets]
    permalink: Mapping[str, str]
    converters: dict[str, Converter]
    known: Mapping[str, str]  # locale -> the digest of its link targets

    def label(self, code: str) -> str:
        return self.permalink.get(code, "Permanent link")

    def digest(self, key: PageKey) -> str:
        """A digest of what the page is rendered from (its links are checked apart)."""
        code, path = key
        page = self.site.locales[code].page(path)
        source = page.source
        if source is None:
            return ""
        config = self.site.config
        return page_digest(
            key, source.rel, source.path, page.body, page.body_line, page.url,
            self.label(code), config.raw_html, config.max_article_seconds, page.meta.type,
        )  # fmt: skip

    def reused(self, key: PageKey, entry: Entry | None) -> Entry | None:
        """A cached rendering that still holds (same inputs, every link resolving the same
        way), marked with today's link targets; None if it does not."""
        if entry is None or entry.digest != self.digest(key):
            return None
        page = self.site.locales[key[0]].page(key[1])
        known = self.known[key[0]]
        if page.source is None or entry.targets == known:
            return entry
        targets, rel, file = self.targets[key[0]], page.source.rel, page.source.path
        for lookup in entry.lookups:
            answer = resolve(
                lookup.href,
                source=rel,
                file=file,
                page=page.url,
                line=lookup.line,
                targets=targets,
                image=lookup.image,
            )
            if answer != lookup.answer:
                return None
        return dataclasses.replace(entry, targets=known)

    def __call__(self, key: PageKey) -> Entry:
        code, path = key
        locale = self.site.locales[code]
        page = locale.page(path)
        if page.source is None:
            return Entry("", (), EMPTY)
        label = self.label(code)
        if label not in self.converters:  # a Markdown instance is costly: one per label
            self.converters[label] = Converter(label, self.site.config.raw_html)
        seconds = self.site.config.max_article_seconds
        digest = self.digest(key)
        try:
            with time_limit(seconds):
                converter = self.converters[label]
                done = converter.convert(
                    page.source.rel,
                    page.source.path,
                    page.body,
                    page.body_line,
                    page.url,
                    self.targets[code],
                    guide=page.meta.type == "guide",
                )
                return Entry(digest, converter.lookups, done, self.known[code])
        except RecursionError:
            message = "the Markdown is nested too deeply to render"
            hint = "nest lists, quotes (>), emphasis (*, _) and brackets less deeply"
        except TimeLimit:
            message = f"rendering took longer than max_article_seconds ({seconds:g} s)"
            hint = (
                "nest lists, quotes (>), emphasis (*, _) and brackets less deeply, or split "
                "the article; a long but sound article can raise max_article_seconds"
            )
        del self.converters[label]  # stopped half-way: its state is not to be trusted
        problem = Problem(
            message,
            page.source.path,
            _deepest_line(page.body, page.body_line),
            hint,
            code="too-complex",
        )
        return Entry("", (), Rendered("", problems=(problem,)))  # never reused: tried again


def render(
    site: Site,
    permalink: Mapping[str, str] | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: Mapping[PageKey, Entry] | None = None,
    codes: Collection[str] | None = None,
) -> dict[PageKey, Entry]:
    """Every topic's and article's rendering (of the locales `codes`; an empty one for the
    others), with what the build cache keeps of it.
    `permalink`: the heading link's title per locale. `cache`: earlier entries; one is reused
    where the page's inputs are the same and each of its links still resolves the same way."""
    channels = {c.id: c.url for c in site.config.channels}
    targets = {
        code: LinkTargets.of(loc, site.config.offline, channels)
        for code, loc in site.locales.items()
    }
    known = {code: _digest(found) for code, found in targets.items()}
    job = _Job(site, targets, permalink or {}, {}, known)
    cache = cache or {}
    done: dict[PageKey, Entry] = {}
    todo: list[PageKey] = []
    for key in site.pages():
        if codes is not None and key[0] not in codes:
            done[key] = Entry("", (), EMPTY)
        elif (entry := job.reused(key, cache.get(key))) is not None:
            done[key] = entry
        else:
            todo.append(key)

    def name(key: PageKey) -> str:
        source = site.locales[key[0]].page(key[1]).source
        return str(source.path) if source is not None else f"the page {key[1]}"

    results = fork_map(job, todo, jobs, doing="rendering", name=name)
    total = len(done) + len(todo)
    for key, result in zip(todo, results, strict=True):
        done[key] = result
        if progress:
            progress(len(done), total)
    return {key: done[key] for key in site.pages()}


def render_pages(
    site: Site, keys: Collection[PageKey], permalink: Mapping[str, str]
) -> dict[PageKey, Entry]:
    """The pages `keys` rendered as `render` renders them, in this process (serve's quick
    path). Their entries name no link targets: the next `render` checks their links again."""
    channels = {c.id: c.url for c in site.config.channels}
    codes = {code for code, _ in keys}
    targets = {
        code: LinkTargets.of(site.locales[code], site.config.offline, channels) for code in codes
    }
    job = _Job(site, targets, permalink, {}, dict.fromkeys(codes, ""))
    return {key: job(key) for key in keys}


def _digest(targets: LinkTargets) -> str:
    """What a link of the locale may resolve to, as a digest."""
    return page_digest(
        sorted(targets.pages), sorted(targets.folders), sorted(targets.assets), targets.prefix,
        targets.offline, sorted(targets.elsewhere), sorted(targets.channels.items()),
    )  # fmt: skip


class TimeLimit(BaseException):
    """Raised inside a conversion when its time is up; a BaseException so that no
    `except Exception` in a Markdown extension can swallow it."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimit in the block after `seconds`, with a real-time timer (SIGALRM).

    POSIX only, and only in a process's main thread (signals are delivered there): the main
    process and every forked worker. Elsewhere (Windows, `helpgen serve`'s threads) no limit.
    A timer already running (a test runner's) is set again when the block ends."""
    if (
        not seconds
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    armed = [True]

    def expire(signum: int, frame: object) -> None:
        if armed[0]:
            raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    before, interval = signal.setitimer(signal.ITIMER_REAL, min(float(seconds), _LONGEST_TIMER))
    try:
        yield
    finally:
        while True:  # a signal that arrives while we disarm must not skip the restore
            try:
                armed[0] = False
                left, _ = signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                if before:  # someone else's timer: what is left of it
                    used = min(float(seconds), _LONGEST_TIMER) - left
                    signal.setitimer(signal.ITIMER_REAL, max(before - used, 0.001), interval)
                break
            except TimeLimit:
                continue


_NESTING = re.compile(r"[>*_\[\]()<`~|-]")


def _deepest_line(body: str, first: int) -> int:
    """The line most likely to make a page too deep or too slow: the most nesting marks."""
    best, best_score = first, -1
    for number, line in enumerate(body.split("\n")):
        stripped = line.lstrip(" \t")
        score = (len(line) - len(stripped)) // 2 + len(_NESTING.findall(line))
        if score > best_score:
            best, best_score = first + number, score
    return best
