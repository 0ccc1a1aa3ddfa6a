"""The Nu Html Checker (vnu.jar): no error on any built page, nor on the live DOM in each state
scripts bring a page into (tests/a11y_scenes.py: search drop-down open with results, feedback
after a No, opening hours rendered, switchers open...). One JVM run checks everything."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from .a11y_scenes import SCENES, Scene, Served, find_tools, open_scene, serve_sites

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
}


@dataclass(frozen=True)
class Checked:
    """One vnu run: the files it checked, its errors per file, each scene's snapshots."""

    built: tuple[Path, ...]
    errors: dict[Path, list[str]]
    snapshots: dict[str, tuple[Path, ...]]
    unreached: dict[str, str]  # scene id -> why a state could not be reached
    canary: Path


def snapshot_scenes(browser, sites: dict[str, Served], folder: Path) -> tuple[dict, dict]:
    """Walk every scene; after each step write the DOM, with its doctype, to an .html file."""
    snapshots: dict[str, tuple[Path, ...]] = {}
    unreached: dict[str, str] = {}
    for n, scene in enumerate(SCENES):
        files = []
        context, page = open_scene(browser, sites, scene)
        try:
            for i, step in enumerate(scene.steps):
                step.act(page)
                path = folder / f"{n:02d}-{i}-{re.sub(r'[^a-z]+', '-', step.name)}.html"
                dom = page.evaluate("document.documentElement.outerHTML")
                path.write_text("<!DOCTYPE html>\n" + dom, encoding="utf-8")
                files.append(path)
        except (AssertionError, PlaywrightError) as exc:
            unreached[scene.id] = f"{step.name}: {exc}"
        finally:
            context.close()
        snapshots[scene.id] = tuple(files)
    return snapshots, unreached


def vnu(files: list[Path]) -> dict[Path, list[str]]:
    """Errors per file, as 'line: message' (one JVM for all)."""
    tools = find_tools()
    run = subprocess.run(
        [
            tools.java,
            "-jar",
            str(tools.vnu),
            "--format",
            "json",
            "--errors-only",
            "--stdout",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors: dict[Path, list[str]] = {}
    for m in json.loads(run.stdout)["messages"]:
        path = Path(unquote(urlparse(m.get("url", "")).path))
        errors.setdefault(path, []).append(f"{m.get('lastLine', '?')}: {m['message']}")
    return errors


@pytest.fixture(scope="module")
def checked(browser, serve_dir, tmp_path_factory) -> Checked:
    find_tools()
    tmp = tmp_path_factory.mktemp("valid")
    sites = serve_sites(tmp, serve_dir)
    dom = tmp / "dom"
    dom.mkdir()
    snapshots, unreached = snapshot_scenes(browser, sites, dom)
    canary = dom / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    built = tuple(sorted(p for s in sites.values() for p in s.out.rglob("*.html")))
    files = [*built, *(p for shots in snapshots.values() for p in shots), canary]
    return Checked(built, vnu(files), snapshots, unreached, canary)


def located(checked: Checked, files) -> str:
    return "".join(f"{path}:{e}\n" for path in files for e in checked.errors.get(path, []))


def test_every_built_page_is_valid(checked):
    kinds = set()
    for path in checked.built:
        text = path.read_text(encoding="utf-8")
        kinds.update(re.findall(r'<body class="page-([\w-]+)', text))
        kinds.update(["guide"] if 'data-helpgen="guide"' in text else [])
    assert not PAGE_KINDS - kinds, "page types never built"
    assert located(checked, checked.built) == ""


@pytest.mark.parametrize("scene", SCENES, ids=lambda s: s.id)
def test_live_dom_is_valid(checked, scene: Scene):
    assert scene.id not in checked.unreached, checked.unreached.get(scene.id)
    shots = checked.snapshots[scene.id]
    assert len(shots) == len(scene.steps)
    assert located(checked, shots) == ""


def test_the_checker_refuses_a_combobox_search_input(checked):
    errors = checked.errors.get(checked.canary, [])
    assert any("“search” for attribute “type” on element “input”" in e for e in errors), errors
