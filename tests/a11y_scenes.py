"""What the accessibility (axe-core) and HTML validity (Nu Html Checker) tests look at.

The tools come from tests/node_modules (`npm ci --prefix tests`) and Debian's Java. Missing tools
skip those tests with the command that installs them; with HELPGEN_REQUIRE_TOOLS=1 (CI) they fail.

Two sites are built and served under the strict CSP: the demo (en, he, fa) with "Was this
helpful?" on, and a small site whose first language is Persian, holding what the demo's RTL pages
lack (a code block, a picture and every callout in RTL, a guide in Persian, a notice with no end
date, a page not translated into English, feedback without search events).

A Scene is one page opened in Chromium and the Steps that bring it into each state a reader can
see (switchers open, search drop-down showing results, the feedback form after a No...). Both
test files walk the same scenes, so a state added here is checked by axe and by the validator.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from playwright.sync_api import TimeoutError

from helpgen.pipeline import build

from .conftest import REPO, write_files

TESTS = Path(__file__).resolve().parent
AXE = TESTS / "node_modules" / "axe-core" / "axe.min.js"
VNU = TESTS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_URL = "_axe/axe.min.js"  # copied into each served site: same origin, so the CSP allows it
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


@dataclass(frozen=True)
class Tools:
    """Where the checkers are."""

    axe: Path
    vnu: Path
    java: str


def find_tools() -> Tools:
    """The checkers, or skip (fail under HELPGEN_REQUIRE_TOOLS=1) saying how to install them."""
    java = shutil.which("java")
    missing = [
        *(
            ["axe-core and vnu-jar: npm ci --prefix tests"]
            if not (AXE.is_file() and VNU.is_file())
            else []
        ),
        *(["Java: apt-get install default-jre-headless"] if not java else []),
    ]
    if missing:
        message = "missing " + "; ".join(missing)
        if os.environ.get("HELPGEN_REQUIRE_TOOLS") == "1":
            pytest.fail(message + " (HELPGEN_REQUIRE_TOOLS=1)", pytrace=False)
        pytest.skip(message)
    assert java is not None
    return Tools(AXE, VNU, java)


# --------------------------------------------------------------------------------------- sites
RTL_SITE = {
    "helpgen.toml": """
        title = "راهنمای کارگاه"
        locales = ["fa", "en"]

        [feedback]
        endpoint = "{base}events"

        [[audiences]]
        id = "buyers"
        label = { fa = "خریداران", en = "Buying" }

        [[audiences]]
        id = "sellers"
        label = { fa = "فروشندگان", en = "Selling" }

        [[contact.channels]]
        id = "chat"
        type = "chat"
        url = "https://example.com/chat"
        hours = "Sat-Wed 09:00-17:00"
        timezone = "Asia/Tehran"
        label = { fa = "گفت‌وگو", en = "Chat" }
        description = { fa = "با یک آدم واقعی حرف بزنید.", en = "Talk to a person." }
        promise = { fa = "معمولاً زیر ۵ دقیقه.", en = "Usually under 5 minutes." }

        [[contact.channels]]
        id = "email"
        type = "email"
        url = "help@example.com"
        label = { fa = "ایمیل", en = "Email" }

        [[contact.channels]]
        id = "phone"
        type = "phone"
        url = "+98 21 5555 0142"
        hours = "24/7"
        label = { fa = "تلفن", en = "Phone" }

        [contact]
        default = ["chat", "email", "phone"]

        [[notices]]
        id = "new-hours"
        link = "orders/track.md#table"

        [notices.text]
        fa = "از این هفته پشتیبانی تلفنی شبانه‌روزی است."
        en = "Phone support is now open around the clock."
    """,
    "content/fa/_index.md": """
        ---
        title: راهنمای کارگاه
        description: پاسخ پرسش‌های سفارش و ارسال.
        ---
        به راهنما خوش آمدید.
    """,
    "content/fa/orders/_index.md": """
        ---
        title: سفارش‌ها
        description: پیگیری، تغییر و لغو سفارش.
        icon: package
        ---
        هر چه دربارهٔ سفارش باید بدانید.
    """,
    "content/fa/orders/track.md": """
        ---
        title: پیگیری سفارش
        description: کد رهگیری و وضعیت‌های سفارش.
        tags: [ارسال, رهگیری]
        promoted: true
        updated: 2026-10-01
        audience: buyers
        ---
        کد رهگیری را در ایمیل ارسال پیدا کنید.

        ![نقشهٔ مسیر بسته از انبار تا خانه](route.svg)

        ## جدول وضعیت‌ها {#table}

        | وضعیت | معنی |
        |---|---|
        | ثبت شد | سفارش دریافت شد |
        | ارسال شد | بسته در راه است |

        ## از طریق API {#api}

        ```bash
        curl https://api.example.com/orders/JM-1234
        ```

        !!! note "یادداشت"
            کد سفارش با JM- شروع می‌شود.

        !!! tip
            صفحهٔ سفارش را نشانه‌گذاری کنید.

        !!! warning
            کد را با کسی به اشتراک نگذارید.

        !!! danger
            به پیام‌هایی که رمز می‌خواهند پاسخ ندهید.

        [با ما تماس بگیرید](contact:)
    """,
    "content/fa/orders/route.svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
        '<path d="M2 10h36" stroke="#333"/></svg>\n'
    ),
    "content/fa/orders/lost.md": """
        ---
        title: بسته‌ام نرسیده
        description: چند پرسش، یک راه‌حل.
        type: guide
        ---
        چند پرسش کوتاه.

        ## وضعیت سفارش چیست؟ {#status}

        - [ارسال شد](#shipped)
        - [تحویل شد](#delivered)

        ## چند روز گذشته؟ {#shipped}

        - [کمتر از یک هفته](#wait)
        - [بیشتر از یک هفته](#delivered)

        ## صبر کنید {#wait}

        بیشتر بسته‌ها در یک هفته می‌رسند.

        ## با ما تماس بگیرید {#delivered}

        بسته را پیدا می‌کنیم.
    """,
    "content/fa/orders/cancel.md": """
        ---
        title: لغو سفارش
        description: تا پیش از ارسال می‌توانید لغو کنید.
        audience: sellers
        ---
        در صفحهٔ سفارش، **لغو** را بزنید.
    """,
    "content/en/_index.md": "---\ntitle: Workshop help\n---\nWelcome.\n",
    "content/en/orders/_index.md": "---\ntitle: Orders\nicon: package\n---\nAll about orders.\n",
    "content/en/orders/track.md": """
        ---
        title: Track an order
        description: Tracking codes and order statuses.
        audience: buyers
        ---
        Find the tracking code in the shipping email.

        ## Statuses {#table}

        | Status | Meaning |
        |---|---|
        | Placed | We have it |
    """,
}


@dataclass(frozen=True)
class Served:
    """A built site and the address it is served at."""

    out: Path
    base: str


def serve_site(name: str, root: Path | None, tmp: Path, serve_dir: Callable[[Path], str]) -> Served:
    """Build the demo (root=None) or the RTL site into tmp/name and serve it with axe beside it."""
    out = tmp / name
    base = serve_dir(out)  # the server reads the folder per request: it may appear afterwards
    if root is None:
        # as the demo's helpgen.toml suggests: votes and searches (the RTL site sends votes only)
        overrides = {"feedback_endpoint": base + "events", "feedback_searches": True}
        build(REPO, out, overrides=overrides)
    else:
        files = {
            k: v.replace("{base}", base) if k == "helpgen.toml" else v for k, v in RTL_SITE.items()
        }
        src = write_files(root, files)
        build(src, out)
    if AXE.is_file():
        (out / "_axe").mkdir()
        shutil.copy(AXE, out / AXE_URL)
    return Served(out, base)


def serve_sites(tmp: Path, serve_dir: Callable[[Path], str]) -> dict[str, Served]:
    """Both sites, by the name scenes use."""
    return {
        "demo": serve_site("demo", None, tmp, serve_dir),
        "rtl": serve_site("rtl", tmp / "src", tmp, serve_dir),
    }


# -------------------------------------------------------------------------------------- scenes
Action = Callable[..., None]


@dataclass(frozen=True)
class Step:
    """A state of the page: `act` brings the page there from the previous step's state, changing
    only what `region` (a selector) holds; "" is the whole page."""

    name: str
    act: Action
    region: str = ""


@dataclass(frozen=True)
class Scene:
    """One page of one site and the states it is checked in."""

    site: str
    path: str
    steps: tuple[Step, ...]
    scripts: bool = True  # False: the theme's scripts are not loaded (a page that moves on)

    def __post_init__(self) -> None:
        assert not self.steps[0].region, "a scene's first state is the whole page"

    @property
    def id(self) -> str:
        return f"{self.site}:{unquote(self.path) or '/'}"

    @property
    def dir(self) -> str:
        """The page's direction: its locale's (the site's first locale at the root)."""
        first = (
            self.path.split("/")[0] if "/" in self.path else {"demo": "en", "rtl": "fa"}[self.site]
        )
        return "rtl" if first in {"he", "fa"} else "ltr"


def _loaded(page) -> None:
    page.wait_for_load_state("load")


def open_details(selector: str) -> Action:
    def act(page) -> None:
        page.locator(f"{selector} > summary").click()
        assert page.locator(selector).evaluate("d => d.open"), f"{selector} did not open"

    return act


def type_search(box: str, text: str, found: bool = True) -> Action:
    """Type into a search box; wait for the drop-down to show results (or say there are none)."""

    def act(page) -> None:
        field = page.locator(box)
        field.fill("")
        field.click()
        field.press_sequentially(text, delay=15)
        shown = (
            "[role=listbox] .search-option-heading"
            if found
            else ".search-popup-status:not([hidden])"
        )
        try:
            page.locator(shown).first.wait_for()
        except TimeoutError as exc:
            errors = "; ".join(dict.fromkeys(getattr(page, "js_errors", []))) or "none"
            raise AssertionError(
                f"typing {text!r} into {box} showed no drop-down (JS errors: {errors})"
            ) from exc

    return act


def _results(page) -> None:
    page.locator(".search-result-link, [data-search-fallback]").first.wait_for()


def _vote_no(page) -> None:
    page.locator("[data-vote=no]").click()
    page.locator("[data-feedback-more]").wait_for()


def _send_comment(page) -> None:
    page.locator("[data-feedback-more] textarea").fill("The page does not say how long it takes.")
    page.locator("[data-feedback-more] [type=submit]").click()
    page.locator("[data-feedback-contact]").wait_for()


def _answer(page) -> None:
    """Follow the visible step's first answer to the next step."""
    step = page.locator("[data-helpgen=guide-step]:not([hidden])")
    before = step.get_attribute("id")
    step.locator(".guide-options a[href^='#']").first.click()
    page.wait_for_function(
        "id => document.querySelector('[data-helpgen=guide-step]:not([hidden])').id !== id",
        arg=before,
    )


def ask(question: str) -> Action:
    """The contact page: type a question; suggested articles appear."""

    def act(page) -> None:
        page.locator("#deflect-question").fill(question)
        page.locator("[data-deflect-suggestions] li").first.wait_for()

    return act


def details(name: str, selector: str) -> Step:
    return Step(name, open_details(selector), selector)


def search(name: str, where: str, text: str, found: bool = True) -> Step:
    """Type into the search box in `where` (header or main)."""
    return Step(
        name, type_search(f"{where} input[name=q]", text, found), f"{where} form[role=search]"
    )


LOADED = Step("loaded", _loaded)
LANGUAGES = details("language switcher open", ".lang-switcher:not(.audience-switcher)")
AUDIENCES = details("audience switcher open", ".audience-switcher")
FEEDBACK = (
    Step("feedback after No", _vote_no, "[data-helpgen=feedback]"),
    Step("feedback sent, channels", _send_comment, "[data-helpgen=feedback]"),
)
ANSWER = Step("next step", _answer, "[data-helpgen=guide]")

# A query with results and one without, per locale.
QUERIES = {"en": ("refund", "zzqxv"), "he": ("החזר", "זזקקק"), "fa": ("بازگشت وجه", "ژژژقق")}
GUIDES = {"en": "account/cant-sign-in/", "he": "shipping/delivery-problems/package-hasnt-arrived/"}


def demo_scenes(lang: str) -> tuple[Scene, ...]:
    hit, miss = QUERIES[lang]
    scenes = [
        Scene(
            "demo",
            f"{lang}/",
            (LOADED, LANGUAGES, AUDIENCES, search("drop-down", "main", hit)),
        ),
        Scene("demo", f"{lang}/orders/", (LOADED,)),
        Scene(
            "demo",
            f"{lang}/returns/return-policy/",
            (
                LOADED,
                *FEEDBACK,
                search("drop-down", "header", hit),
                search("drop-down, no results", "header", miss, found=False),
            ),
        ),
        Scene(
            "demo",
            f"{lang}/contact/",
            (LOADED, Step("question typed", ask(hit), "[data-helpgen=deflect]")),
        ),
        Scene("demo", f"{lang}/search/?q={quote(hit)}", (Step("results", _results),)),
        Scene("demo", f"{lang}/search/?q={quote(miss)}", (Step("no results", _results),)),
        Scene("demo", f"{lang}/whats-new/", (LOADED,)),
        Scene("demo", f"{lang}/404.html", (LOADED,)),
    ]
    if lang != "en":  # the demo's selling/ is in English only: shown untranslated in this chrome
        scenes.append(Scene("demo", f"{lang}/selling/fees/", (LOADED, LANGUAGES, *FEEDBACK)))
    if lang in GUIDES:
        scenes.append(Scene("demo", f"{lang}/{GUIDES[lang]}", (LOADED, ANSWER, ANSWER)))
    return tuple(scenes)


# The root of a multilingual site sends readers with JavaScript on at once: the links are the page.
ROOTS = (Scene("demo", "", (LOADED,), scripts=False), Scene("rtl", "", (LOADED,), scripts=False))

RTL_SCENES = (
    Scene("rtl", "fa/", (LOADED, LANGUAGES, AUDIENCES)),
    Scene(
        "rtl",
        "fa/orders/track/",
        (LOADED, *FEEDBACK, search("drop-down", "header", "سفارش")),
    ),
    Scene(
        "rtl",
        "fa/orders/lost/",
        (LOADED, ANSWER, ANSWER, *FEEDBACK),
    ),
    Scene("rtl", "fa/orders/", (LOADED,)),
    Scene("rtl", "fa/contact/", (LOADED,)),
    Scene("rtl", "fa/whats-new/", (LOADED,)),
    Scene("rtl", "404.html", (LOADED,)),
    Scene("rtl", "en/orders/track/", (LOADED, LANGUAGES)),
    Scene("rtl", "en/orders/lost/", (LOADED, ANSWER)),  # not translated: Persian in English chrome
)

SCENES = (*demo_scenes("en"), *demo_scenes("he"), *demo_scenes("fa"), *RTL_SCENES, *ROOTS)


def watched_page(context):
    """A page of `context` that gathers CSP violations in page.csp, script errors in
    page.js_errors. Scenes reuse it: its HTTP and code caches stay warm."""
    page = context.new_page()
    page.set_default_timeout(5000)
    page.csp = []
    page.js_errors = []
    page.on(
        "console",
        lambda m: page.csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    return page


@contextmanager
def scene_page(page, sites: dict[str, Served], scene: Scene, axe: bool = False) -> Iterator:
    """`page` (from watched_page) showing the scene, with axe loaded if asked; what the scene
    stored (votes...) is cleared when it is done."""
    page.csp.clear()
    page.js_errors.clear()
    base = sites[scene.site].base
    blocked = base + "static/js/**"
    if not scene.scripts:
        page.route(blocked, lambda route: route.abort())
    try:
        page.goto(base + scene.path)
        if axe:
            page.add_script_tag(url=base + AXE_URL)
        yield page
    finally:
        if not scene.scripts:
            page.unroute(blocked)
        page.evaluate("() => localStorage.clear()")
