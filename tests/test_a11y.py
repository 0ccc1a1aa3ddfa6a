"""axe-core in Chromium: no WCAG 2.0/2.1 A or AA violation on any page type, in every state its
scripts bring it into (tests/a11y_scenes.py), in English, Hebrew and Persian, light and dark.

axe is served from the site's own origin, so the pages run under the real CSP while it checks."""

from __future__ import annotations

import json

import pytest

from .a11y_scenes import (
    SCENES,
    WCAG_TAGS,
    Served,
    find_tools,
    scene_page,
    serve_sites,
    watched_page,
)

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}, "resultTypes": ["violations"]}
# The dark scheme changes colours only: the rules about colour, as WCAG AA words them.
COLOURS = {
    "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="module")
def pages(browser):
    """A page per colour scheme, shared by the scenes."""
    contexts = {scheme: browser.new_context(color_scheme=scheme) for scheme in ("light", "dark")}
    yield {scheme: watched_page(context) for scheme, context in contexts.items()}
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="module")
def sites(serve_dir, tmp_path_factory) -> dict[str, Served]:
    find_tools()
    return serve_sites(tmp_path_factory.mktemp("a11y"), serve_dir)


def violations(page, region: str = "", options: dict = WCAG) -> list[str]:
    """axe's violations in the page (or its `region`) as it is now: rule, impact, help, nodes."""
    if region:
        found = page.locator(region).first.evaluate("(el, o) => axe.run(el, o)", options)
    else:
        found = page.evaluate("o => axe.run(document, o)", options)
    found = found["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "".join(
            f"      {json.dumps(n['target'], ensure_ascii=False)}: {n['failureSummary'].splitlines()[-1].strip()}\n"
            for n in v["nodes"]
        )
        for v in found
    ]


# Dark mode on the demo's English pages and the Persian-first site: both directions, every kind.
CASES = [pytest.param(s, "light", id=f"{s.id}-light") for s in SCENES] + [
    pytest.param(s, "dark", id=f"{s.id}-dark")
    for s in SCENES
    if s.site == "rtl" or s.path.startswith("en/")
]


@pytest.mark.parametrize(("scene", "scheme"), CASES)
def test_no_axe_violations(pages, sites, scene, scheme):
    with scene_page(pages[scheme], sites, scene, axe=True) as page:
        assert page.evaluate("document.documentElement.dir") == scene.dir
        options = WCAG if scheme == "light" else COLOURS
        report = []
        for n, step in enumerate(scene.steps, 1):
            step.act(page)
            report += [f"  {n}. {step.name}: {v}" for v in violations(page, step.region, options)]
        assert not report, f"{scene.id} ({scheme}):\n" + "".join(report)
        assert page.csp == []


def test_axe_sees_what_it_must(pages, sites):
    """The checks above can fail: axe reports a picture without alt text and low contrast here,
    and the dark scheme really paints the page differently."""
    scene = SCENES[0]
    with (
        scene_page(pages["light"], sites, scene, axe=True) as page,
        scene_page(pages["dark"], sites, scene) as dark_page,
    ):
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
        assert "image-alt" in "".join(violations(page, "main"))  # a region is checked too
        assert "color-contrast" in "".join(violations(page, "main", COLOURS))
