"""sitemap.xml for a site with a `base_url`: every topic and article, with its translations."""

from __future__ import annotations

from xml.sax.saxutils import escape

from .model import Site


def sitemap(site: Site) -> str:
    base = site.config.base_url or ""
    rows = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    multi = len(site.locales) > 1
    for loc in site.locales.values():
        for path, page in [*loc.topics.items(), *loc.articles.items()]:
            rows.append(f"  <url><loc>{escape(base + page.url)}</loc>")
            if updated := page.meta.updated:
                rows.append(f"    <lastmod>{updated.isoformat()}</lastmod>")
            if multi:
                for code, other in site.locales.items():
                    if path in other.articles or path in other.topics:
                        url = other.page(path).url
                        rows.append(
                            f'    <xhtml:link rel="alternate" hreflang="{escape(code)}" '
                            f'href="{escape(base + url)}"/>'
                        )
            rows.append("  </url>")
    rows.append("</urlset>\n")
    return "\n".join(rows)
