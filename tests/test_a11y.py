"""axe-core in Chromium: no WCAG 2.0/2.1 A or AA violation on any page type, in every state its
scripts bring it into (tests/a11y_scenes.py), in English, Hebrew and Persian, light and dark.

axe is served from the site's own origin, so the pages run under the real CSP while it checks."""

from __future__ import annotations

import json

import pytest

from .a11y_scenes import SCENES, WCAG_TAGS, Served, find_tools, open_scene, serve_sites

pytestmark = pytest.mark.browser

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}, "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def sites(serve_dir, tmp_path_factory) -> dict[str, Served]:
    find_tools()
    return serve_sites(tmp_path_factory.mktemp("a11y"), serve_dir)


def violations(page) -> list[str]:
    """axe's WCAG A/AA violations on the page as it is now: rule, impact, help and each node."""
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "".join(
            f"      {json.dumps(n['target'], ensure_ascii=False)}: {n['failureSummary'].splitlines()[-1].strip()}\n"
            for n in v["nodes"]
        )
        for v in found
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("scene", SCENES, ids=lambda s: s.id)
def test_no_axe_violations(browser, sites, scene, scheme):
    context, page = open_scene(browser, sites, scene, scheme, axe=True)
    try:
        assert page.evaluate("document.documentElement.dir") == scene.dir
        report = []
        for step in scene.steps:
            step.act(page)
            report += [f"  {step.name}: {v}" for v in violations(page)]
        assert not report, f"{scene.id} ({scheme}):\n" + "".join(report)
        assert page.csp == []
    finally:
        context.close()


def test_axe_sees_what_it_must(browser, sites):
    """The checks above can fail: axe reports a picture without alt text and low contrast here,
    and the dark scheme really paints the page differently."""
    scene = SCENES[0]
    context, page = open_scene(browser, sites, scene, axe=True)
    dark, dark_page = open_scene(browser, sites, scene, "dark", axe=True)
    try:
        background = "getComputedStyle(document.body).backgroundColor"
        assert page.evaluate(background) != dark_page.evaluate(background)
        page.evaluate(
            """() => {
              const img = document.createElement("img");
              img.src = "nowhere.png";
              const p = document.createElement("p");
              p.textContent = "faint";
              p.style.color = "#ccc";
              p.style.background = "#fff";
              document.querySelector("main").append(img, p);
            }"""
        )
        found = "".join(violations(page))
        assert "image-alt" in found and "color-contrast" in found
    finally:
        context.close()
        dark.close()
