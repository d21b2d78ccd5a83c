"""The partnership desk in the web app: the partnership switcher, the brief page, search with filters.

``register_desk(app, templates, catalog)`` adds:

- an ASGI middleware that scopes each request to a partnership: the ``partnership`` query
  parameter, else the ``partnership`` cookie the switcher sets (``CURRENT_PARTNERSHIP``);
- ``/partnership?name=P&next=/path``: the switcher (sets or clears the cookie, back to ``next``);
- ``/brief`` and ``/api/brief`` (the brief's data), ``/brief/download?format=md|html|docx``;
- ``/search`` and ``/api/search``: count, pages, date/kind/publisher filters, sort, folded near-duplicates;
- ``/api/partnerships``: the partnerships the knowledge base holds, with counts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from communique.errors import QueryError
from communique.web.catalog import CURRENT_PARTNERSHIP, SEARCH_SECONDS, Catalog

__all__ = ["register_desk", "COOKIE"]

COOKIE = "partnership"
SEARCH_LIMIT = 20
SWITCHER_WAIT = 3.0  # seconds a page waits for the partnership list before it is shown without it
_Q = Query(default="", max_length=500)
_DATE = Query(default="", max_length=10, pattern=r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")


class _PartnershipScope:
    """Pure ASGI middleware: sets ``CURRENT_PARTNERSHIP`` for the request (context-local)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        name = (parse_qs(scope.get("query_string", b"").decode("latin-1")).get("partnership") or [None])[0]
        if name is None:
            for key, value in scope.get("headers", []):
                if key == b"cookie":
                    for part in value.decode("latin-1").split(";"):
                        k, _, v = part.strip().partition("=")
                        if k == COOKIE and v:
                            from urllib.parse import unquote

                            name = unquote(v)
            if name and not _valid(name):
                name = None  # a stale cookie does not break every page
        token = CURRENT_PARTNERSHIP.set(name[:200] if name else None)
        try:
            await self.app(scope, receive, send)
        finally:
            CURRENT_PARTNERSHIP.reset(token)


def _valid(name: str) -> bool:
    from communique.query.partnership import parse_partnership

    try:
        parse_partnership(name)
        return True
    except QueryError:
        return False


def _local(path: str) -> str:
    """Only a path of this site: never an absolute or scheme-relative address."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path else "/"


def register_desk(app: FastAPI, templates: Any, catalog: Catalog) -> None:
    app.add_middleware(_PartnershipScope)

    def partnership_names() -> list[dict[str, Any]]:
        return catalog.partnerships()  # the knowledge base's list, whatever the scope

    def current() -> str | None:
        p = catalog.partnership() if CURRENT_PARTNERSHIP.get() else None
        return p.name if p else None

    # the switcher on every page: listed when known (a large knowledge base needs minutes at start)
    templates.env.globals["partnership_names"] = lambda: catalog.partnerships_soon(SWITCHER_WAIT) or []
    templates.env.filters["combine_page"] = lambda args, n: {k: v for k, v in args.items() if v} | {"page": n}
    templates.env.globals["current_partnership"] = current

    @app.get("/partnership", include_in_schema=False)
    def switch(name: str = Query("", max_length=200), next: str = Query("/", max_length=2000)) -> Response:
        target = _local(next)
        response = RedirectResponse(target, status_code=303)
        if name:
            from communique.query.partnership import parse_partnership

            p = parse_partnership(name)  # a QueryError is a 400 page
            response.set_cookie(COOKIE, quote(p.name), max_age=30 * 86400, httponly=True, samesite="lax")
        else:
            response.delete_cookie(COOKIE)
        return response

    @app.get("/api/partnerships")
    def partnerships_api() -> dict[str, Any]:
        items = partnership_names()
        return {"total": len(items), "items": items}

    def brief_data(partnership: str, mechanism: str, since: str) -> dict[str, Any]:
        from communique.query.brief import make_brief
        from communique.query.partnership import scope_meetings, parse_partnership

        name = partnership or CURRENT_PARTNERSHIP.get() or ""
        options = partnership_names()
        if not name:
            return {"brief": None, "partnership": None, "mechanisms": [], "options": options}
        p = parse_partnership(name)
        token = CURRENT_PARTNERSHIP.set(None)
        try:
            mechanisms = sorted({m["mechanism"] for m in scope_meetings(catalog.records("meetings"), p)})
            key = f"brief:{p.name}:{mechanism}:{since}"
            brief = catalog.cached(key, lambda: make_brief(catalog.store, p.name, mechanism or None, since or None))
        finally:
            CURRENT_PARTNERSHIP.reset(token)
        return {"brief": brief, "partnership": p.name, "mechanisms": mechanisms, "options": options}

    @app.get("/brief", response_class=HTMLResponse, include_in_schema=False)
    def brief_page(request: Request, partnership: str = Query("", max_length=200), mechanism: str = Query("", max_length=200),
                   since: str = _DATE) -> HTMLResponse:
        from communique.query.brief_render import html_fragment

        data = brief_data(partnership, mechanism, since)
        html = html_fragment(data["brief"], templates.env.filters["doc_link"]) if data["brief"] else ""
        return templates.TemplateResponse(request, "brief.html", {"data": data, "brief_html": html, "page": "brief",
                                                                  "args": {"partnership": data["partnership"] or "",
                                                                           "mechanism": mechanism, "since": since}})

    @app.get("/api/brief")
    def brief_api(partnership: str = Query("", max_length=200), mechanism: str = Query("", max_length=200),
                  since: str = _DATE) -> dict[str, Any]:
        data = brief_data(partnership, mechanism, since)
        if data["brief"] is None:
            raise QueryError("give a partnership, e.g. ?partnership=ASEAN-ROK")
        return data["brief"].as_dict()

    @app.get("/brief/download", include_in_schema=False)
    def brief_download(partnership: str = Query("", max_length=200), mechanism: str = Query("", max_length=200),
                       since: str = _DATE, format: str = Query("md", pattern="^(md|html|docx|json)$")) -> Response:
        from communique.query.brief_render import render

        data = brief_data(partnership, mechanism, since)
        if data["brief"] is None:
            raise QueryError("give a partnership, e.g. ?partnership=ASEAN-ROK")
        content = render(data["brief"], format)
        types = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "json": "application/json",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        filename = f"brief-{data['partnership']}.{format}".replace("/", "-")
        return Response(content, media_type=types[format],
                        headers={"Content-Disposition": f'attachment; filename="{quote(filename)}"'})

    def search_data(q: str, page: int, since: str, until: str, kind: str, publisher: str, sort: str) -> dict[str, Any]:
        from communique.query.search import search_page

        kinds = catalog.cached("document_kinds", lambda: sorted(catalog.stats().get("kinds", {})))
        if not q.strip():
            return {"query": q, "hits": [], "total": 0, "found": 0, "pages": 0, "page": 1, "kinds": kinds}

        def compute() -> dict[str, Any]:
            scope = catalog.scope()
            store = catalog.store
            with store.time_limit(SEARCH_SECONDS, "the search"):  # bounded work, whatever the words
                result = search_page(store, q, limit=SEARCH_LIMIT, offset=(page - 1) * SEARCH_LIMIT, since=since or None,
                                     until=until or None, kind=kind or None, publisher=publisher or None,
                                     scope=scope.document_ids if scope else None, sort=sort)
            catalog.remember_search_state(store)
            return result.as_dict() | {"page": page, "kinds": kinds, "partnership": current()}

        # a search asked again (or its page after its JSON twin) is answered from the latest results
        return catalog.recent(("search", q, page, since, until, kind, publisher, sort), compute)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page_view(request: Request, q: str = _Q, page: int = Query(1, ge=1, le=50), since: str = _DATE,
                         until: str = _DATE, kind: str = Query("", max_length=40), publisher: str = Query("", max_length=200),
                         sort: str = Query("relevance", pattern="^(relevance|date|oldest)$")) -> HTMLResponse:
        args = {"q": q, "since": since, "until": until, "kind": kind, "publisher": publisher, "sort": sort}
        data = search_data(q, page, since, until, kind, publisher, sort)
        return templates.TemplateResponse(request, "search.html", {"data": data, "page": "search", "args": args})

    @app.get("/api/search")
    def search_api(q: str = _Q, page: int = Query(1, ge=1, le=50), since: str = _DATE, until: str = _DATE,
                   kind: str = Query("", max_length=40), publisher: str = Query("", max_length=200),
                   sort: str = Query("relevance", pattern="^(relevance|date|oldest)$")) -> dict[str, Any]:
        return search_data(q, page, since, until, kind, publisher, sort)
