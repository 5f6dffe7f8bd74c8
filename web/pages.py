"""HTML pages served by the hub. Scripts are files, never inline, so the strict CSP holds."""

from __future__ import annotations

from pathlib import Path

from litestar import MediaType, Response, get

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
# Server-rendered pages of the web app (docs/web.md); Jinja2 with autoescaping.
TEMPLATES_DIR = WEB_DIR / "templates"
# Front-end packages come from npm (`make install` runs `npm ci` in web/); never from a CDN.
NODE_MODULES = WEB_DIR / "node_modules"

API_DOCS_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Spirit Hub API</title>
  <link rel="stylesheet" href="/static/vendor/swagger-ui-dist/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-spec-url="/schema/openapi.json">Loading the API documentation…</div>
  <script src="/static/vendor/swagger-ui-dist/swagger-ui-bundle.js"></script>
  <script src="/static/js/api-docs.js"></script>
</body>
</html>
"""


@get("/api/docs", include_in_schema=False, media_type=MediaType.HTML)
async def api_docs() -> Response[str]:
    """Interactive API documentation (Swagger UI from npm, served locally)."""
    return Response(API_DOCS_HTML, media_type=MediaType.HTML)
