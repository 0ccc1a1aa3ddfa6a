"""Deterministic generator of a realistic synthetic help-center corpus.

    python bench/corpus.py --articles 1000 --out /tmp/corpus-1k

writes OUT/content/ (a topic tree of `_index.md` folders and articles, ready for helpgen)
and OUT/mkdocs.yml (with `docs_dir: content`, ready for `mkdocs build`).
"""

from __future__ import annotations

import argparse
import bisect
import importlib.util
import itertools
import json
import posixpath
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

SITE_TITLE = "Acme Help Center"


def _w(words: str) -> list[str]:
    """A word list written as one '|'-separated string."""
    return words.split("|")


# (slug, title, description, section subjects, topic nouns, UI labels)
TOPICS: list[tuple[str, str, str, list[str], list[str], list[str]]] = [
    (
        "account",
        "Account and sign-in",
        "Creating, securing and managing your account, passwords and sign-in.",
        _w(
            "Signing in|Passwords|Two-step verification|Profile settings"
            "|Email preferences|Closing your account|Linked accounts|Account recovery"
            "|Notifications|Family accounts|Business accounts|Privacy settings"
        ),
        _w(
            "password|account|email address|verification code|username|profile"
            "|security question|sign-in link|phone number|authenticator app"
            "|recovery email|login session|display name|account name"
        ),
        ["Account", "Security", "Profile", "Sign-in and security", "Notifications"],
    ),
    (
        "orders",
        "Orders",
        "Placing, changing, cancelling and following your orders.",
        _w(
            "Placing an order|Changing an order|Cancelling an order|Order history"
            "|Order status|Gift orders|Pre-orders|Bulk orders|Order confirmation"
            "|Reordering|Wishlists|Shopping cart"
        ),
        _w(
            "order|cart|item|order number|confirmation email|gift message|quantity"
            "|pre-order|backorder|seller|product page|discount code|order summary"
            "|wishlist"
        ),
        ["Your orders", "Cart", "Order details", "Checkout", "Wishlist"],
    ),
    (
        "shipping",
        "Shipping and delivery",
        "Delivery options, times, fees and what to do when a parcel goes astray.",
        _w(
            "Delivery options|Tracking|Delivery times|International shipping"
            "|Shipping fees|Lost parcels|Damaged parcels|Pickup points|Address changes"
            "|Customs and duties|Carriers|Express delivery"
        ),
        _w(
            "parcel|package|tracking number|delivery address|carrier|shipment|courier"
            "|pickup point|delivery date|shipping fee|customs form|delivery slot"
            "|signature|locker"
        ),
        ["Track package", "Your orders", "Addresses", "Delivery options", "Shipping"],
    ),
    (
        "returns",
        "Returns and refunds",
        "Sending items back, exchanges and getting your money back.",
        _w(
            "Return policy|Starting a return|Return labels|Refund timing|Exchanges"
            "|Non-returnable items|Damaged items|Warranty claims|Store credit"
            "|Drop-off locations|Return status|Partial refunds"
        ),
        _w(
            "refund|return|return label|exchange|store credit|drop-off point"
            "|return window|warranty|replacement|original packaging|receipt"
            "|return request|restocking fee|QR code"
        ),
        ["Returns", "Your orders", "Return center", "Refund status", "Store credit"],
    ),
    (
        "payments",
        "Payments and billing",
        "Payment methods, invoices, receipts, taxes and failed payments.",
        _w(
            "Payment methods|Invoices|Gift cards|Failed payments|Currencies"
            "|Installments|Receipts|Tax|Billing address|Promo codes|Chargebacks"
            "|Saved cards"
        ),
        _w(
            "invoice|payment|card|credit card|bank transfer|gift card|billing address"
            "|VAT number|charge|installment|promo code|payment method|statement"
            "|authorization hold"
        ),
        ["Billing", "Payments", "Payment methods", "Invoices", "Wallet"],
    ),
    (
        "subscriptions",
        "Subscriptions and plans",
        "Plans, renewals, upgrades, pauses and cancellations.",
        _w(
            "Plans|Renewals|Upgrades|Downgrades|Pausing|Cancelling a plan|Free trials"
            "|Billing cycles|Team seats|Discounts|Usage limits|Plan comparison"
        ),
        _w(
            "subscription|plan|renewal|trial|billing cycle|seat|upgrade|membership"
            "|usage limit|annual plan|monthly plan|renewal date|team member|license"
        ),
        ["Subscriptions", "Plan", "Manage plan", "Billing", "Team"],
    ),
    (
        "security",
        "Security and privacy",
        "Keeping your account safe, spotting scams and controlling your data.",
        _w(
            "Phishing|Suspicious activity|Data export|Cookies|Data deletion"
            "|Device management|Login alerts|Security keys|Scams|Reporting a problem"
            "|Privacy requests|Session timeouts"
        ),
        _w(
            "security key|device|login alert|phishing email|data export|cookie"
            "|privacy request|session|backup code|personal data|suspicious message"
            "|trusted device|security alert|access token"
        ),
        ["Security", "Privacy", "Devices", "Your data", "Sign-in and security"],
    ),
    (
        "troubleshooting",
        "Troubleshooting",
        "Fixing error messages, slow pages and problems with the app.",
        _w(
            "App crashes|Slow loading|Browser issues|Error messages"
            "|Missing notifications|Sync problems|Offline mode|App updates"
            "|Compatibility|Accessibility|Connection problems|Cache and storage"
        ),
        _w(
            "app|browser|error message|cache|update|connection|page|notification|screen"
            "|download|version|extension|setting|storage"
        ),
        ["Settings", "Help", "About", "App settings", "Storage"],
    ),
]

GLOBAL_NOUNS = _w(
    "account|order|email|payment|refund|password|address|invoice|card|item|message|request"
    "|support team|app|confirmation|notification|receipt|phone number|link|form|balance|fee"
    "|document|code|website|delivery|seller|purchase|date|name|customer number|screenshot"
    "|reference number|settings page"
)
VERBS: dict[str, str] = dict(  # base form -> past participle
    pair.split(":")
    for pair in _w(
        "update:updated|check:checked|cancel:cancelled|confirm:confirmed|change:changed"
        "|review:reviewed|download:downloaded|request:requested|reset:reset|enter:entered"
        "|select:selected|open:opened|verify:verified|track:tracked|remove:removed|add:added"
        "|save:saved|submit:submitted|edit:edited|replace:replaced|share:shared"
        "|print:printed|resend:resent|approve:approved|renew:renewed|transfer:transferred"
        "|report:reported|restore:restored|link:linked|delete:deleted"
    )
)
EXTRA_VERBS: dict[str, str] = dict(
    pair.split(":")
    for pair in _w(
        "activate:activated|adjust:adjusted|allow:allowed|apply:applied|archive:archived"
        "|assign:assigned|attach:attached|block:blocked|book:booked|clear:cleared"
        "|close:closed|compare:compared|connect:connected|copy:copied|create:created"
        "|deactivate:deactivated|disable:disabled|dispute:disputed|enable:enabled"
        "|export:exported|extend:extended|fix:fixed|forward:forwarded|hide:hidden"
        "|import:imported|install:installed|merge:merged|move:moved|pause:paused"
        "|redeem:redeemed|refresh:refreshed|register:registered|reschedule:rescheduled"
        "|resume:resumed|return:returned|schedule:scheduled|scan:scanned|sign:signed"
        "|split:split|sync:synced|unlock:unlocked|upload:uploaded|use:used|waive:waived"
    )
)
VERBS.update(EXTRA_VERBS)
EXTRA_NOUNS = _w(
    "account holder|activation email|add-on|admin|agreement|alias|API key|appointment"
    "|approval|attachment|audit log|auto-renewal|availability|backup|bank account"
    "|bank statement|barcode|basket|batch|beneficiary|billing contact|billing period|bonus"
    "|booking|brand|bundle|business day|calendar|callback|campaign|cancellation fee"
    "|capture|cardholder|case number|cash on delivery|catalog|category|certificate"
    "|chat transcript|checkout page|claim|collection point|company name|complaint"
    "|compensation|consent|contact form|contract|cost center|country|coverage|credit note"
    "|credit limit|currency|customer profile|cut-off time|dashboard|deadline|debit card"
    "|deposit|dispatch note|dispute|domain|down payment|draft|due date|duplicate charge"
    "|e-receipt|eligibility|entitlement|escalation|estimate|exchange rate|expiry date"
    "|export file|feedback|filter|firmware|fraud check|freight|fulfilment center"
    "|gift receipt|guarantee|guest account|handling fee|headset|help article|holiday"
    "|home screen|hotline|ID document|import duty|inbox|insurance|integration|inventory"
    "|invoice number|IP address|keyboard shortcut|label printer|language|late fee|ledger"
    "|letter|limit|live chat|loyalty points|mailbox|manifest|marketplace|merchant"
    "|mobile number|name change|newsletter|nickname|notice|one-time code|opening hours"
    "|operating system|overcharge|owner|packing slip|pallet|parental control|partner"
    "|passkey|payout|PayPal account|PDF|permission|personal details|PIN|policy|portal"
    "|postcode|power of attorney|preference|price|price match|printer|priority"
    "|proof of delivery|proof of purchase|provider|push notification|QR scanner|query|queue|quote"
    "|rate|rating|reason code|rebate|recipient|reminder|remittance|rental|reply"
    "|report|reservation|reset link|residence|response time|retailer|review|role|route"
    "|router|sales tax|sample|schedule|search bar|serial number|service fee|shortcut"
    "|size chart|SMS|spam folder|spending limit|status page|stock|storage space|supplier"
    "|survey|surcharge|tablet|tax ID|template|terms|ticket|time zone|timestamp|token"
    "|toll-free number|top-up|trade-in|transaction|translation|trial period|two-step code"
    "|unit price|user ID|user role|VAT invoice|vendor|verification photo|voucher|waitlist"
    "|wallet|warehouse|watchlist|web form|weekend|weight|widget|window|wire transfer"
    "|workspace|zip code"
)
STATES = _w(
    "pending|delayed|missing|expired|declined|on hold|incomplete|out of date|locked"
    "|not showing|duplicated|stuck|wrong|blocked"
)
ADJECTIVES = _w(
    "new|original|default|active|primary|saved|previous|correct|temporary|digital|standard"
    "|international|current|separate|full|partial|recent|unused|verified|printed"
)
TIMES = _w(
    "within 24 hours|in 3–5 business days|right away|before it ships|after the first payment"
    "|at any time|by the end of the day|within 30 days|in a few minutes"
    "|on the next business day|within 14 days|once it is processed|after you confirm"
    "|before the cut-off time|within an hour|during checkout"
)
OPENERS = _w(
    "Usually|In most cases|Sometimes|By default|Once confirmed|For security"
    "|In some countries|On the app|On the website|After that|Where possible"
    "|If you are not sure"
)
ACTIONS = _w(
    "Edit|Save changes|Continue|Request|Confirm|Cancel|Download|Send|Update|Manage"
    "|View details|Get help|Start|Done|Remove"
)

SENTENCES = [
    "You can {verb} your {noun} from the **{ui}** page.",
    "{Opener}, the {noun} is {participle} {time}.",
    "If the {noun} doesn't match your {noun2}, {verb} it and try again.",
    "We'll email you a {noun} {time}.",
    "To {verb} a {noun}, go to **{ui}** and select **{action}**.",
    "Your {noun} may take {time2} to appear in your {noun2}.",
    "This usually happens when the {noun} is {state}.",
    "Our support team can {verb} the {noun} for you if you can't do it yourself.",
    "Keep the {noun} until the {noun2} is {participle}.",
    "Some {nouns} can't be {participle} once the {noun2} has been {participle2}.",
    "Check that your {noun} is up to date before you {verb} the {noun2}.",
    "For security reasons, we can't {verb} a {noun} over the phone.",
    "You'll see the {adj} {noun} under **{ui}**.",
    "If you still don't see it, contact us and include your {noun}.",
    "It can take up to {n} {unit} for the {noun} to update.",
    "{Opener}, your {noun} is linked to your {noun2}.",
    "A {state} {noun} doesn't affect your {noun2}.",
    "There's no fee to {verb} a {noun}, but a {adj} {noun2} may cost extra.",
    "Only the account owner can {verb} the {noun}.",
    "Make sure the {noun} and the {noun2} use the same name.",
    "When the {noun} is {participle}, the status changes to **{state_cap}**.",
    "If your {noun} is {state}, wait {time2} before you contact us.",
    "You don't need to {verb} the {noun} again after you {verb2} your {noun2}.",
    "We keep a copy of every {noun} for {n} {unit_long}.",
    "Most {nouns} are {participle} {time}, and we'll let you know when yours is.",
    "You can {verb} up to {n} {nouns} at once.",
    "{Opener}, you can {verb} the {noun} without signing in.",
    "The {adj} {noun} replaces the {adj2} one.",
    "If you see error **{code}**, {verb} your {noun} and try again.",
    "This also applies to the {product} and the {product2}.",
    "On the {product}, the {noun} is under **{ui}**.",
    "Customers who bought the {product} can {verb} the {noun} {time}.",
]
TITLES = [
    "How to {verb} your {noun}",
    "Why can't I {verb} my {noun}?",
    "What to do if your {noun} is {state}",
    "Can I {verb} a {noun} after it is {participle}?",
    "{Verb} a {noun}",
    "Understanding your {noun}",
    "{Noun} not {participle}",
    "Where to find your {noun}",
    "{Noun} fees and limits",
    "{Noun} {state}: common causes",
    "When will my {noun} be {participle}?",
    "{Verb} your {noun} on the app",
    "Using a {adj} {noun}",
    "{Noun} and {noun2}: what's the difference?",
]
HEADINGS = [
    "Before you start",
    "How to {verb} your {noun}",
    "If your {noun} is {state}",
    "What happens next",
    "Common questions",
    "{Noun} limits",
    "Fees and timing",
    "Troubleshooting",
    "On the app",
    "On the website",
    "Why this happens",
    "If you can't {verb} the {noun}",
    "Good to know",
    "{Noun} and your {noun2}",
    "Who can {verb} a {noun}",
    "Step by step",
    "After you {verb} the {noun}",
]
SUBHEADINGS = [
    "On a phone or tablet",
    "On a computer",
    "If you paid by card",
    "If you paid by invoice",
    "For business accounts",
    "For guest checkouts",
    "Outside the EU",
    "In the EU and UK",
    "If the {noun} is {state}",
    "With a {adj} {noun}",
    "Step {k}",
]
UNITS = ["hours", "days", "business days", "minutes"]
UNITS_LONG = ["months", "years", "days"]
ADMONITIONS = [("note", 6), ("tip", 3), ("warning", 2), ("info", 1)]
ADMONITION_TITLES = ["Good to know", "Heads up", "Before you continue", "Tip", ""]
REGIONS = ["in the US", "in Canada", "in the EU", "in the UK", "in Australia", "for business"]


_AN = re.compile(r"\b([Aa]) (?=[aeiouAEIOU])(?!one|us|uni|eu)")  # "a order" -> "an order"


class Zipf:
    """Picks words with Zipf-like frequencies (the first words of the list are the commonest)."""

    def __init__(self, words: list[str], s: float = 1.05) -> None:
        self.words = words
        self.cum = list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(len(words))))

    def __call__(self, rng: random.Random) -> str:
        return self.words[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def plural(noun: str) -> str:
    """English plural of a (possibly multi-word) noun."""
    head, _, last = noun.rpartition(" ")
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}".strip()


def slugify(text: str) -> str:
    """Lowercase ASCII slug, at most 60 characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:60].rstrip("-") or "page"


def cap(text: str) -> str:
    """First letter upper-cased, the rest untouched."""
    return text[:1].upper() + text[1:]


@dataclass
class Folder:
    """A topic folder: `rel` is its POSIX path below content/ ('' for the top)."""

    rel: str
    title: str
    description: str
    order: int
    topic: int
    slugs: set[str] = field(default_factory=set)


@dataclass
class Article:
    """A planned article; `rel` is its POSIX path below content/."""

    rel: str
    title: str
    topic: int


def _product_names(rng: random.Random, count: int) -> list[str]:
    """Pronounceable made-up product names ("Velora Mini 3"): the vocabulary's long tail."""
    onsets = _w("b|br|c|d|f|g|k|l|m|n|p|r|s|st|t|tr|v|z")
    vowels = _w("a|e|i|o|u|ea|io|ou")
    models = ["", "", " Mini", " Pro", " Max", " Go", " Plus", " Lite"]
    names: dict[str, None] = {}
    while len(names) < count:
        stem = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 3)))
        number = f" {rng.randint(2, 12)}" if rng.random() < 0.3 else ""
        names[cap(stem) + rng.choice(models) + number] = None
    return list(names)


class Words:
    """Fills sentence templates with topic-flavoured, Zipf-distributed words."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.verbs = Zipf(rng.sample(list(VERBS), len(VERBS)), s=0.9)
        self.states = Zipf(STATES)
        self.adjs = Zipf(ADJECTIVES)
        self.times = Zipf(TIMES)
        self.global_nouns = Zipf(GLOBAL_NOUNS)
        self.extra_nouns = Zipf(rng.sample(EXTRA_NOUNS, len(EXTRA_NOUNS)), s=0.9)
        self.topic_nouns = [Zipf(t[4]) for t in TOPICS]
        self.products = Zipf(_product_names(rng, 3000), s=1.0)
        self.sentences = Zipf(rng.sample(SENTENCES, len(SENTENCES)), s=0.6)

    def noun(self, topic: int) -> str:
        """A topic noun most of the time, else a general one."""
        roll = self.rng.random()
        if roll < 0.55:
            return self.topic_nouns[topic](self.rng)
        if roll < 0.8:
            return self.global_nouns(self.rng)
        return self.extra_nouns(self.rng)

    def fill(self, template: str, topic: int) -> str:
        """Substitute every {slot} of the template."""
        rng = self.rng
        verb, verb2 = self.verbs(rng), self.verbs(rng)
        noun, noun2 = self.noun(topic), self.noun(topic)
        while noun2 == noun:
            noun2 = self.noun(topic)
        state = self.states(rng)
        ui = rng.choice(TOPICS[topic][5])
        values = {
            "verb": verb,
            "Verb": cap(verb),
            "verb2": verb2,
            "participle": VERBS[verb],
            "participle2": VERBS[verb2],
            "noun": noun,
            "Noun": cap(noun),
            "noun2": noun2,
            "nouns": plural(noun),
            "state": state,
            "state_cap": cap(state),
            "adj": self.adjs(rng),
            "adj2": self.adjs(rng),
            "time": self.times(rng),
            "time2": rng.choice(["a few minutes", "an hour", "a day", "2–3 business days"]),
            "opener": rng.choice(OPENERS).lower(),
            "Opener": rng.choice(OPENERS),
            "ui": ui,
            "action": rng.choice(ACTIONS),
            "n": str(rng.choice([2, 3, 5, 7, 10, 14, 30, 48, 90])),
            "unit": rng.choice(UNITS),
            "unit_long": rng.choice(UNITS_LONG),
            "k": str(rng.randint(1, 4)),
            "code": f"{rng.choice('ABEHPRS')}{rng.randint(100, 9999)}",
            "product": self.products(rng),
            "product2": self.products(rng),
        }
        return _AN.sub(r"\1n ", template.format_map(values))

    def sentence(self, topic: int) -> str:
        """One sentence."""
        return self.fill(self.sentences(self.rng), topic)

    def paragraph(self, topic: int, lo: int = 2, hi: int = 5) -> str:
        """A paragraph of lo..hi sentences."""
        return " ".join(self.sentence(topic) for _ in range(self.rng.randint(lo, hi)))


def _yaml(value: object) -> str:
    """A YAML scalar or flow list (JSON is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _front_matter(meta: dict[str, object]) -> str:
    lines = [f"{key}: {_yaml(value)}" for key, value in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def plan_folders(rng: random.Random, articles: int) -> list[Folder]:
    """Topic folders: 8 top-level topics, sections and subsections scaled to the corpus size."""
    per_topic = max(2, min(12, round(articles / 90)))
    max_sub = max(1, min(4, articles // 600))
    folders: list[Folder] = []
    for t, (slug, title, description, subjects, _nouns, _ui) in enumerate(TOPICS):
        top = Folder(slug, title, description, t + 1, t)
        folders.append(top)
        for s, subject in enumerate(rng.sample(subjects, per_topic)):
            rel = f"{slug}/{slugify(subject)}"
            desc = f"{subject}: answers about {plural(rng.choice(TOPICS[t][4]))} and more."
            section = Folder(rel, subject, desc, s + 1, t)
            top.slugs.add(slugify(subject))  # no article may share a folder's URL
            folders.append(section)
            if rng.random() < 0.45:
                qualifiers = ["on mobile", "for businesses", "FAQ", "advanced", "abroad"]
                for q, qualifier in enumerate(rng.sample(qualifiers, rng.randint(1, max_sub))):
                    sub_title = (
                        f"{subject} {qualifier}"
                        if qualifier != "advanced"
                        else (f"Advanced: {subject.lower()}")
                    )
                    section.slugs.add(slugify(sub_title))
                    folders.append(
                        Folder(
                            f"{rel}/{slugify(sub_title)}",
                            sub_title,
                            f"More about {subject.lower()} ({qualifier}).",
                            q + 1,
                            t,
                        )
                    )
    return folders


def plan_articles(
    rng: random.Random, words: Words, folders: list[Folder], count: int
) -> list[Article]:
    """Place `count` articles: one per folder first, the rest by random folder weights."""
    weights = [rng.uniform(0.4, 2.0) for _ in folders]
    homes = list(range(len(folders)))[:count]
    homes += rng.choices(range(len(folders)), weights=weights, k=max(0, count - len(homes)))
    titles: set[str] = set()
    planned = []
    for home in homes:
        folder = folders[home]
        for attempt in itertools.count():
            title = words.fill(rng.choice(TITLES), folder.topic)
            if attempt > 20:
                title = f"{title} {rng.choice(REGIONS)} ({attempt})"
            slug = slugify(title)
            if title not in titles and slug not in folder.slugs:
                break
        titles.add(title)
        folder.slugs.add(slug)
        planned.append(Article(f"{folder.rel}/{slug}.md", title, folder.topic))
    return planned


def _link(article: Article, target: Article) -> str:
    rel = posixpath.relpath(target.rel, posixpath.dirname(article.rel))
    return f"[{target.title}]({rel})"


def _steps(words: Words, topic: int) -> list[str]:
    rng = words.rng
    steps = [f"Go to **{rng.choice(TOPICS[topic][5])}**."]
    steps += [
        cap(words.fill(t, topic))
        for t in rng.sample(
            _w(
                "select the {noun} you want to {verb}.|select **{action}**."
                "|check the {adj} {noun}.|enter your {noun} and select **{action}**."
                "|{verb} the {noun} if it is {state}.|confirm with your {noun2}."
            ),
            rng.randint(2, 4),
        )
    ]
    return [f"{i}. {step}" for i, step in enumerate(steps, 1)]


def _bullets(words: Words, topic: int) -> list[str]:
    rng = words.rng
    if rng.random() < 0.5:
        return [f"- {words.sentence(topic)}" for _ in range(rng.randint(3, 6))]
    return [
        f"- **{cap(words.noun(topic))}:** {words.sentence(topic)}" for _ in range(rng.randint(3, 5))
    ]


def _table(words: Words, topic: int) -> list[str]:
    rng = words.rng
    head = f"| {cap(words.noun(topic))} | What it means | Typical time |"
    rows = [
        f"| **{cap(words.states(rng))}** | {words.sentence(topic)} | {words.times(rng)} |"
        for _ in range(rng.randint(3, 5))
    ]
    return [head, "|---|---|---|", *rows]


def _admonition(words: Words, topic: int) -> list[str]:
    rng = words.rng
    kind = rng.choices([k for k, _ in ADMONITIONS], weights=[w for _, w in ADMONITIONS])[0]
    label = rng.choice(ADMONITION_TITLES)
    head = f'!!! {kind} "{label}"' if label else f"!!! {kind}"
    return [head, f"    {words.paragraph(topic, 1, 2)}"]


def article_body(words: Words, article: Article, links: list[Article]) -> str:
    """Markdown body of 150–900 words with sections, lists, maybe a table and an admonition."""
    rng = words.rng
    topic = article.topic
    target = int(rng.triangular(150, 900, 300))
    link_lines = [
        rng.choice(["See {}.", "Read more in {}.", "Related: {}.", "For details, see {}."]).format(
            _link(article, t)
        )
        for t in links
    ]
    budget = 900 - 8 * len(link_lines) - 4  # words left for the "Related articles" list
    blocks: list[str] = [words.paragraph(topic, 2, 3)]
    count = len(blocks[0].split())
    used: set[str] = set()
    table_at = rng.randrange(5) if rng.random() < 0.25 else -1
    note_at = rng.randrange(5) if rng.random() < 0.35 else -1
    section = 0
    while count < target:
        heading = words.fill(rng.choice(HEADINGS), topic)
        if heading in used:
            continue
        used.add(heading)
        paragraphs = [1]  # indexes of prose paragraphs, where a link may go
        part = [f"## {heading}", words.paragraph(topic)]
        kind = rng.random()
        if kind < 0.35:
            part.append("\n".join(_steps(words, topic)))
        elif kind < 0.65:
            part.append("\n".join(_bullets(words, topic)))
        if section == table_at:
            part.append("\n".join(_table(words, topic)))
        if section == note_at:
            part.append("\n".join(_admonition(words, topic)))
        if rng.random() < 0.3:
            for sub in dict.fromkeys(words.fill(rng.choice(SUBHEADINGS), topic) for _ in "ab"):
                if sub in used:
                    continue
                used.add(sub)
                part += [f"### {sub}", words.paragraph(topic, 1, 4)]
                paragraphs.append(len(part) - 1)
        size = sum(len(p.split()) for p in part)
        if count + size > budget and count >= 150:
            break
        if link_lines and rng.random() < 0.5:
            part[rng.choice(paragraphs)] += " " + link_lines.pop()
        blocks += part
        count += size
        section += 1
    if link_lines:
        blocks.append("## Related articles\n\n" + "\n".join(f"- {x}" for x in link_lines))
    return "\n\n".join(blocks) + "\n"


def _pick_links(
    rng: random.Random, article: Article, pool: list[Article], by_topic: dict[int, list[Article]]
) -> list[Article]:
    chosen: list[Article] = []
    want = min(rng.randint(1, 4), len(pool) - 1)
    while len(chosen) < want:
        near = by_topic[article.topic]
        candidate = rng.choice(near if rng.random() < 0.7 and len(near) > 1 else pool)
        if candidate is not article and candidate not in chosen:
            chosen.append(candidate)
    return chosen


# What every benchmark's mkdocs.yml enables: search, and the Markdown the corpora use.
MKDOCS_EXTENSIONS = (
    "plugins:\n"
    "  - search\n"
    "markdown_extensions:\n"
    "  - admonition\n"
    "  - tables\n"
    "  - toc:\n"
    "      permalink: true\n"
)


def mkdocs_yml(articles: int) -> str:
    """mkdocs.yml for the corpus: Material theme when installed, else the built-in theme."""
    theme = "material" if importlib.util.find_spec("material") else "mkdocs"
    return (
        f"site_name: {SITE_TITLE} ({articles} synthetic articles)\n"
        "docs_dir: content\n"
        "theme:\n"
        f"  name: {theme}\n" + MKDOCS_EXTENSIONS
    )


def generate(out: Path, articles: int, seed: int = 7) -> None:
    """Write OUT/content/ (a help center of `articles` articles) and OUT/mkdocs.yml."""
    rng = random.Random(seed)
    words = Words(rng)
    folders = plan_folders(rng, articles)
    planned = plan_articles(rng, words, folders, articles)
    by_topic: dict[int, list[Article]] = {}
    for a in planned:
        by_topic.setdefault(a.topic, []).append(a)

    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    (content / "_index.md").write_text(
        _front_matter({"title": SITE_TITLE, "description": "Answers from the Acme support team."})
        + "Search above or pick a topic below.\n",
        encoding="utf-8",
    )
    for folder in folders:
        path = content / folder.rel
        path.mkdir(parents=True, exist_ok=True)
        meta = {"title": folder.title, "description": folder.description, "order": folder.order}
        intro = words.paragraph(folder.topic, 1, 2)
        (path / "_index.md").write_text(_front_matter(meta) + intro + "\n", encoding="utf-8")
    for article in planned:
        links = _pick_links(rng, article, planned, by_topic) if len(planned) > 1 else []
        meta: dict[str, object] = {
            "title": article.title,
            "description": words.sentence(article.topic),
        }
        if rng.random() < 0.6:
            meta["tags"] = sorted({words.noun(article.topic) for _ in range(rng.randint(1, 3))})
        meta["keywords"] = sorted(
            {plural(words.noun(article.topic)) for _ in range(rng.randint(2, 5))}
        )
        body = article_body(words, article, links)
        (content / article.rel).write_text(_front_matter(meta) + body, encoding="utf-8")
    (out / "mkdocs.yml").write_text(mkdocs_yml(articles), encoding="utf-8")


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="number of articles")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args()
    generate(args.out, args.articles, args.seed)
    print(f"wrote {args.articles} articles to {args.out / 'content'}")


if __name__ == "__main__":
    main()
