"""helpgen: turn a folder of Markdown articles into a multilingual, self-service help center.

The pipeline, one module per stage (`pipeline.compile` runs all but the last):

    load      content/ -> Sources (front matter, body, lines)   load.py, frontmatter.py
    assemble  Sources + Config -> Site (the frozen model)       assemble.py, model.py
    render    Site -> a Rendered per page                       render.py, markdown.py, links.py
    index     Site + Rendered -> search data per locale         search/
    pages     Site + Rendered -> typed views -> Outputs         pages.py, sitemap.py
    check     lints over all of it                              check.py
    write     Outputs -> the output folder, file by file        write.py
"""

__version__ = "0.1.0"
