"""The Nu Html Checker (vnu.jar): no error on any built page, nor on the live DOM in each state
scripts bring a page into (tests/a11y_scenes.py: search drop-down open with results, feedback
after a No, opening hours rendered, switchers open...). One JVM run checks everything."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from .a11y_scenes import SCENES, Served, find_tools, scene_page, serve_sites, watched_page

pytestmark = pytest.mark.browser

# Markup the checker must refuse: the search box as search-ui.js once left it (ARIA in HTML
# allows no combobox role on <input type=search>, so "search" is a bad type there). Proves the
# run reads the files it is given.
CANARY = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>canary</title></head><body>
<input type="search" role="combobox" aria-expanded="false" aria-label="Search">
</body></html>
"""
PAGE_KINDS = {
    "home",
    "topic",
    "article",
    "guide",
    "contact",
    "search",
    "whats-new",
    "404",
    "redirect",
    "root",
}


def snapshot_scenes(browser, sites: dict[str, Served], folder: Path) -> tuple[dict, list]:
    """Walk every scene; after each step write the DOM, with its doctype, to an .html file.
    Returns ({file: "scene, n. step"}, [states that could not be reached, and why])."""
    snapshots: dict[Path, str] = {}
    unreached: list[str] = []
    context = browser.new_context()
    page = watched_page(context)
    for n, scene in enumerate(SCENES):
        with scene_page(page, sites, scene):
            for i, step in enumerate(scene.steps, 1):
                try:
                    step.act(page)
                except (AssertionError, PlaywrightError) as exc:
                    unreached.append(f"{scene.id}, {i}. {step.name}: {exc}")
                    break
                path = folder / f"{n:02d}-{i}.html"
                dom = page.evaluate("document.documentElement.outerHTML")
                path.write_text("<!DOCTYPE html>\n" + dom, encoding="utf-8")
                snapshots[path] = f"{scene.id}, {i}. {step.name}"
    context.close()
    return snapshots, unreached


def vnu(files: list[Path]) -> dict[Path, list[str]]:
    """Errors per file, as 'line: message' (one JVM for all)."""
    tools = find_tools()
    run = subprocess.run(
        [tools.java, "-jar", str(tools.vnu), "--format", "json", "--errors-only", "--stdout"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.stdout.startswith("{"), f"vnu.jar did not run: {run.stderr[-2000:]}"
    errors: dict[Path, list[str]] = {}
    for m in json.loads(run.stdout)["messages"]:
        path = Path(unquote(urlparse(m.get("url", "")).path))
        errors.setdefault(path, []).append(f"{m.get('lastLine', '?')}: {m['message']}")
    return errors


def distinct(errors: list[str]) -> list[str]:
    """Each message once, at its first line, with how often it came."""
    seen: dict[str, list[str]] = {}
    for e in errors:
        seen.setdefault(e.split(": ", 1)[-1], []).append(e)
    return [same[0] + (f" (×{len(same)})" if len(same) > 1 else "") for same in seen.values()]


def page_kinds(files) -> set[str]:
    kinds = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        kinds.update(re.findall(r'<body class="page-([\w-]+)', text))
        kinds.update(["guide"] if 'data-helpgen="guide"' in text else [])
    return kinds


def test_no_html_errors(browser, serve_dir, tmp_path):
    """Every built page of both sites and every scene's states, in one vnu run (one test, so
    parallel workers never start the JVM twice)."""
    find_tools()
    sites = serve_sites(tmp_path, serve_dir)
    dom = tmp_path / "dom"
    dom.mkdir()
    snapshots, unreached = snapshot_scenes(browser, sites, dom)
    canary = dom / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    built = sorted(p for s in sites.values() for p in s.out.rglob("*.html"))
    assert not PAGE_KINDS - page_kinds(built), "page types never built"

    errors = vnu([*built, *snapshots, canary])
    refused = "".join(errors.pop(canary, []))
    assert "“search” for attribute “type” on element “input”" in refused, "the checker did not run"
    where = {**{p: str(p.relative_to(tmp_path)) for p in built}, **snapshots}
    report = [f"{where.get(p, p)}:{e}" for p, found in errors.items() for e in distinct(found)]
    assert not (unreached or report), "\n".join(
        ["states not reached:", *unreached, "errors:", *report]
    )
