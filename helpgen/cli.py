"""Command line: a thin shell over the pipeline (build, check, serve), search and scaffolds."""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .errors import HelpgenError, Problem

if TYPE_CHECKING:  # each command imports what it runs: `helpgen search` starts fast
    from .pipeline import Compiled

_PROGRESS_AFTER = 0.7  # seconds before a progress line appears


class _Progress:
    """Prints 'stage done/total' on stderr once a build takes more than a moment."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not sys.stderr.isatty() or time.perf_counter() - self.start < _PROGRESS_AFTER:
            return
        if done % 50 and done != total:
            return
        self.shown = True
        click.echo(f"\r  {stage}: {done}/{total}   ", nl=False, err=True)

    def done(self) -> None:
        if self.shown:
            click.echo("\r" + " " * 40 + "\r", nl=False, err=True)


class _Group(click.Group):
    """Turns unexpected failures into one line unless --debug."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `helpgen search … | head`: the reader has all it wants
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)
        except OSError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise HelpgenError.at(
                f"{exc.strerror or exc}", exc.filename, hint="check the path and its permissions"
            ) from None
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.secho(f"internal error: {type(exc).__name__}: {exc}", fg="red", err=True)
            click.echo("  hint: run again with --debug for details and report it", err=True)
            ctx.exit(2)


_config_option = click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path),
    help="Configuration file (default: helpgen.toml).",
)


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="Show tracebacks for unexpected errors.")
@click.version_option(package_name="helpgen")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """helpgen: turn a folder of Markdown articles into a help center."""
    ctx.obj = {"debug": debug}


@main.command()
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    help="Output folder (default: build/).",
)
@_config_option
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. missing alt text) as errors.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option(
    "--audience",
    metavar="ID",
    help="Build a site for one audience (helpgen.toml `audiences`): others' pages left out.",
)
@click.option(
    "--locale",
    "shard",
    metavar="CODE",
    help="Build one locale's pages and the shared files, to `helpgen merge` with the others.",
)
@click.option(
    "--precompress",
    is_flag=True,
    default=None,
    help="Also write .gz and .br copies of text files (helpgen.toml `precompress`).",
)
@click.option("--no-cache", is_flag=True, help="Build everything again; keep no cache.")
def build(
    output: Path | None,
    config: Path | None,
    strict: bool,
    jobs: int | None,
    audience: str | None,
    shard: str | None,
    precompress: bool | None,
    no_cache: bool,
) -> None:
    """Build the site in the current folder (helpgen.toml + content/) into build/.

    Work whose inputs did not change since the last build into the same folder is reused
    (the cache is kept beside it, e.g. .build.helpgen/), and unchanged files are left as they
    are."""
    from .pipeline import build as run_build

    gc.disable()  # one build per process: what it makes lives until it ends (see `run`)
    progress = _Progress()
    overrides = {"audience": audience, "shard": shard, "precompress": precompress}
    report = run_build(
        Path.cwd(),
        output,
        config,
        strict=strict,
        progress=progress,
        jobs=jobs,
        overrides={k: v for k, v in overrides.items() if v is not None} or None,
        use_cache=not no_cache,
    )
    progress.done()
    for warning in report.warnings:
        click.secho("warning: ", fg="yellow", nl=False, err=True)
        click.echo(str(warning), err=True)
    per_locale = ", ".join(f"{code}: {n}" for code, n in report.pages.items() if n)
    click.echo(
        f"built {sum(report.pages.values())} pages ({per_locale}) into "
        f"{_shown(report.out_dir)} in {report.seconds:.2f}s"
    )


@main.command()
@_config_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: FILE:LINE: level: message; json: [{file, line, level, code, message, hint}].",
)
def check(config: Path | None, strict: bool, fmt: str) -> None:
    """Check the site without writing anything: links, anchors, front matter, images, titles,
    translations, unused files. Exit 1 on errors (and on warnings with --strict)."""
    from .pipeline import compile as run_compile
    from .pipeline import configure, make_all

    try:
        compiled = run_compile(Path.cwd(), configure(Path.cwd(), config))
        problems = [*compiled.problems, *make_all(compiled), *_unanswered(compiled)]
    except HelpgenError as exc:  # the configuration or content folder itself is unusable
        problems = exc.problems
    if fmt == "json":
        click.echo(json.dumps([p.as_json() for p in problems], ensure_ascii=False, indent=2))
    else:
        for problem in problems:
            click.echo(_check_line(problem))
    if any(p.stops(strict) for p in problems):
        raise SystemExit(1)


def _unanswered(compiled: Compiled) -> list[Problem]:
    """The declared questions the site's own search misses (`check` only: a build would pay
    a search per question)."""
    from . import check as check_questions

    search = {code: data for code, (data, _) in compiled.search.items()}
    found = check_questions.unanswered(compiled.site, search, list(compiled.site.locales))
    return check_questions.as_configured(found, compiled.site.config)


def _check_line(problem: Problem) -> str:
    """`FILE:LINE: level: message`, the hint below it (an info's details are in the JSON)."""
    text = f"{problem.where}{problem.level}: {problem.message}"
    if problem.hint and problem.level != "info":
        text += f"\n  hint: {problem.hint}"
    return text


@main.command()
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1.",
)
@_config_option
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(port: int, config: Path | None, open_browser: bool) -> None:
    """Preview on 127.0.0.1, rebuilding and reloading the browser on every change."""
    from .serve import serve as run_serve

    run_serve(Path.cwd(), port, config, open_browser)


@main.command()
@click.option(
    "--db",
    default="feedback.sqlite",
    show_default=True,
    help="A SQLite file, or a postgresql://user:password@host/db URL.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8100, show_default=True)
@click.option(
    "--origin",
    "origins",
    multiple=True,
    metavar="URL",
    help="A site whose pages may send events, e.g. https://help.example.com (repeatable).",
)
@click.option(
    "--rate-limit",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Events a minute per client address; 0 = off.",
)
@click.option(
    "--trust-proxy",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="N",
    help="Reverse proxies in front: take the client address from X-Forwarded-For.",
)
def collect(
    db: str, host: str, port: int, origins: tuple[str, ...], rate_limit: int, trust_proxy: int
) -> None:
    """Collect the feedback events help-center pages send (POST /events) into a database."""
    from .feedback.collect import serve as run_collect

    run_collect(db, host, port, origins, rate_limit, trust_proxy)


@main.command()
@click.argument("query")
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="A built site.",
)
@click.option("--locale", help="Which language's index (needed when the site has several).")
@click.option("--limit", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: [{url, title, source, score}].")
def search(query: str, site_dir: Path, locale: str | None, limit: int, as_json: bool) -> None:
    """Search a built site with the same pipeline and ranking as its search box."""
    from .search.query import Searcher, locale_folder

    hits = Searcher.from_folder(locale_folder(site_dir, locale)).search(query, limit=limit)
    if as_json:
        rows = [
            {"url": h.url, "title": h.title, "source": h.source, "score": h.score} for h in hits
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if hits and hits[0].weak:
        click.echo("no page matches enough of the query; the closest:", err=True)
    for n, h in enumerate(hits, 1):
        where = " › ".join([*h.breadcrumb, h.heading] if h.heading else h.breadcrumb)
        click.echo(f"{n:2}. {h.title}  ({h.score:g})\n    {h.url}")
        if where:
            click.echo(f"    {where}")
    if not hits:
        click.echo("no results", err=True)


@main.group()
def new() -> None:
    """Create a new article or topic with front matter."""


@new.command("article")
@click.argument("path")
@click.option("--title", help="Title (default: from the file name).")
def new_article(path: str, title: str | None) -> None:
    """Create content/PATH.md, e.g. `helpgen new article orders/cancel-an-order`."""
    from . import scaffold

    created = scaffold.new_article(Path.cwd(), path, title)
    click.echo(f"created {_shown(created)}")


@new.command("topic")
@click.argument("path")
@click.option("--title", help="Title (default: from the folder name).")
def new_topic(path: str, title: str | None) -> None:
    """Create content/PATH/_index.md, e.g. `helpgen new topic orders/tracking`."""
    from . import scaffold

    created = scaffold.new_topic(Path.cwd(), path, title)
    click.echo(f"created {_shown(created)}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", default="Help Center", show_default=True)
def init(directory: Path, title: str) -> None:
    """Create a new help center skeleton in DIRECTORY that builds at once."""
    from . import scaffold

    scaffold.init_site(directory, title)
    click.echo(
        f"created a help center in {_shown(directory)}\nnext: cd {directory} && helpgen serve"
    )


@main.command("report")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="[EVENTS.jsonl]...")
@click.option(
    "--db", metavar="DB", help="The collector's store: a SQLite file or postgresql:// URL."
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Also write the report as one self-contained HTML page.",
)
@click.option(
    "--since", metavar="DATE", help="Only events received on or after DATE (YYYY-MM-DD, UTC)."
)
@click.option("--locale", metavar="L", help="Only events in one language, e.g. en or zh-CN.")
def report_command(
    files: tuple[Path, ...],
    db: str | None,
    html_file: Path | None,
    since: str | None,
    locale: str | None,
) -> None:
    """The content-gap report from feedback events: least helpful articles, searches that
    failed, topics that led to contacting support, and the weekly trend."""
    import shutil

    from .feedback import report as gaps

    def warn(problem: Problem) -> None:
        click.secho("warning: ", fg="yellow", nl=False, err=True)
        click.echo(str(problem), err=True)

    result = gaps.load(files, db, warn, since=since, locale=locale, html=html_file)
    for line in gaps.render_text(result, shutil.get_terminal_size().columns, bold=True):
        click.echo(line)
    if not result.events:
        click.echo("no events to report", err=True)
    if html_file:
        gaps.write_html(result, html_file)
        click.echo(f"wrote {_shown(html_file)}", err=True)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


@main.command("merge")
@click.argument("shards", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="The merged site's folder.",
)
def merge_command(shards: tuple[Path, ...], output: Path) -> None:
    """Merge SHARDS, each the folder `helpgen build --locale X -o SHARD` wrote, into one
    deployable site. Files they share must be the same in all."""
    from .merge import merge

    report = merge(shards, output)
    click.echo(
        f"merged {report.shards} shards ({report.files} files) into {_shown(report.out_dir)}"
    )


def run() -> None:
    """The `helpgen` command. Whatever a command leaves when it ends is not walked by a last
    collection of cycles as the process exits (a build's objects: a tenth of a second at 20k
    articles)."""
    try:
        main()
    finally:
        gc.freeze()
