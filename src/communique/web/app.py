"""The FastAPI application: server-rendered pages and their JSON twins under /api.

Every page calls one ``View`` method; its /api twin returns the same data as JSON. Errors are a
JSON envelope ``{"error": {"status", "message"}}`` under /api and an error page elsewhere.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from fastapi import FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.convertors import PathConvertor, register_url_convertor
from starlette.exceptions import HTTPException as StarletteHTTPException

from communique import __version__
from communique.errors import CommuniqueError
from communique.store import is_postgres_url
from communique.web.catalog import ASK_SECONDS, ASK_WORKERS, REQUEST_THREADS, Catalog
from communique.web.charts import human_amount
from communique.web.security import SecureHeaders, citation_href, document_href, safe_url
from communique.web.views import MAX_LIMIT, View

__all__ = ["create_app"]

HERE = Path(__file__).resolve().parent
Q = Query(default="", max_length=500)
LIMIT = Query(default=200, ge=1, le=MAX_LIMIT)
OFFSET = Query(default=0, ge=0, le=10_000_000)
# path parameters are bounded too: a 50,000-character address is a 422, not work
ID = PathParam(max_length=200)
NAME = PathParam(max_length=500)
DOC_PATH = PathParam(max_length=4096)


def _ordinal(n: Any) -> str:
    if n is None:
        return ""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _query_string(args: dict[str, Any], offset: int) -> str:
    from urllib.parse import urlencode

    kept = {k: v for k, v in args.items() if v not in (None, "") and k != "offset"}
    return urlencode(kept | {"offset": offset})


class _AnyPath(PathConvertor):
    """A path parameter that may hold any character, a newline included (file names can)."""

    regex = "(?s:.*)"


register_url_convertor("anypath", _AnyPath())


def create_app(db_path: str, ask_workers: int = ASK_WORKERS, ask_seconds: float = ASK_SECONDS) -> FastAPI:
    """The web application over the knowledge base at ``db_path`` (opened read-only); questions are
    answered by ``ask_workers`` processes, each question stopped after ``ask_seconds``."""
    catalog = Catalog(db_path, ask_workers=ask_workers, ask_seconds=ask_seconds)
    view = View(catalog)
    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        # every request runs in one of a bounded number of threads, each with its own connection
        anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        threading.Thread(target=catalog.warm, name="warm", daemon=True).start()
        catalog.ask_pool.start()  # the answering processes load while the first pages are served
        try:
            yield
        finally:
            catalog.close()

    app = FastAPI(title="Communique", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="A cited knowledge base of a partnership: every fact with its source passage.")
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.auto_reload = False  # the installed templates do not change: no stat of each one per page
    templates.env.filters["ordinal"] = _ordinal
    templates.env.filters["doc_link"] = citation_href
    templates.env.filters["doc_href"] = document_href
    templates.env.filters["safe_url"] = safe_url
    templates.env.filters["amount"] = lambda f: human_amount(f["value"], f.get("unit"))
    templates.env.globals["db_name"] = (urlsplit(db_path).path.lstrip("/") if is_postgres_url(db_path)
                                        else Path(db_path).name)
    templates.env.globals["qs"] = _query_string
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(SecureHeaders)
    app.state.catalog = catalog

    def api_error(status: int, message: str) -> JSONResponse:
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)

    def page_error(request: Request, status: int, message: str) -> HTMLResponse:
        return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api") or request.url.path in ("/docs", "/openapi.json")

    @app.exception_handler(CommuniqueError)
    async def on_error(request: Request, exc: CommuniqueError) -> Response:
        status = getattr(exc, "status", 400)
        return api_error(status, str(exc)) if wants_json(request) else page_error(request, status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", []) if x != "query")
        message = f"invalid {where}: {first.get('msg', 'bad request')}"
        return api_error(422, message) if wants_json(request) else page_error(request, 422, message)

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> Response:  # a bug: one line, never a traceback page
        message = f"internal error ({exc.__class__.__name__})"
        return api_error(500, message) if wants_json(request) else page_error(request, 500, message)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return api_error(exc.status_code, message) if wants_json(request) else page_error(request, exc.status_code, message)

    def page(name: str, getter: Callable[..., dict[str, Any]]) -> Callable[..., Any]:
        def render(request: Request, **kwargs: Any) -> HTMLResponse:
            data = getter(**kwargs)
            return templates.TemplateResponse(request, f"{name}.html", {"data": data, "page": name, "args": kwargs})
        return render

    # -- pages and their JSON twins ---------------------------------------------------------------
    from communique.web.desk import register_desk

    register_desk(app, templates, catalog)  # partnership switcher, /brief, /search with filters

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_page(request: Request) -> HTMLResponse:
        return page("overview", view.overview)(request)

    @app.get("/api/overview")
    def overview_api() -> dict[str, Any]:
        return view.overview()

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request, kind: str | None = Query(None, max_length=40), since: str | None = Query(None, max_length=10),
                      until: str | None = Query(None, max_length=10), newest_first: bool = False,
                      limit: int = LIMIT, offset: int = OFFSET) -> HTMLResponse:
        return page("timeline", view.timeline)(request, kind=kind or None, since=since or None, until=until or None,
                                               newest_first=newest_first, limit=limit, offset=offset)

    @app.get("/api/timeline")
    def timeline_api(kind: str | None = Query(None, max_length=40), since: str | None = Query(None, max_length=10),
                     until: str | None = Query(None, max_length=10), newest_first: bool = False,
                     limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        return view.timeline(kind or None, since or None, until or None, limit, offset, newest_first)

    @app.get("/meetings", response_class=HTMLResponse, include_in_schema=False)
    def meetings_page(request: Request, mechanism: str | None = Query(None, max_length=200), year: str | None = Query(None, max_length=4),
                      sort: str = Query("date", max_length=20), limit: int = LIMIT, offset: int = OFFSET) -> HTMLResponse:
        return page("meetings", view.meetings)(request, mechanism=mechanism or None, year=year or None, sort=sort,
                                               limit=limit, offset=offset)

    @app.get("/api/meetings")
    def meetings_api(mechanism: str | None = Query(None, max_length=200), year: str | None = Query(None, max_length=4),
                     sort: str = Query("date", max_length=20), limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        return view.meetings(mechanism or None, year or None, sort, limit, offset)

    @app.get("/meetings/{meeting_id}", response_class=HTMLResponse, include_in_schema=False)
    def meeting_page(request: Request, meeting_id: str = ID) -> HTMLResponse:
        return page("meeting", view.meeting)(request, meeting_id=meeting_id)

    @app.get("/api/meetings/{meeting_id}")
    def meeting_api(meeting_id: str = ID) -> dict[str, Any]:
        return view.meeting(meeting_id)

    @app.get("/api/events")
    def events_api(kind: str | None = Query(None, max_length=40), limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        return view.events(kind or None, limit, offset)

    @app.get("/commitments", response_class=HTMLResponse, include_in_schema=False)
    def commitments_page(request: Request, document: str | None = Query(None, max_length=500),
                         part: str = Query("operative", pattern="^(operative|preamble|all)$"),
                         limit: int = Query(20, ge=1, le=200), offset: int = OFFSET) -> HTMLResponse:
        return page("commitments", view.commitments)(request, document=document or None, part=part, limit=limit,
                                                     offset=offset)

    @app.get("/api/commitments")
    def commitments_api(document: str | None = Query(None, max_length=500),
                        part: str = Query("operative", pattern="^(operative|preamble|all)$"),
                        limit: int = Query(20, ge=1, le=200), offset: int = OFFSET) -> dict[str, Any]:
        return view.commitments(document or None, part, limit, offset)

    @app.get("/figures", response_class=HTMLResponse, include_in_schema=False)
    def figures_page(request: Request, measure: str | None = Query(None, max_length=40), limit: int = LIMIT, offset: int = OFFSET) -> HTMLResponse:
        return page("figures", view.figures)(request, measure=measure or None, limit=limit, offset=offset)

    @app.get("/api/figures")
    def figures_api(measure: str | None = Query(None, max_length=40), limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        return view.figures(measure or None, limit, offset)

    @app.get("/people", response_class=HTMLResponse, include_in_schema=False)
    def people_page(request: Request, name: str | None = Query(None, max_length=200), limit: int = LIMIT, offset: int = OFFSET) -> HTMLResponse:
        return page("people", view.people)(request, name=name or None, limit=limit, offset=offset)

    @app.get("/api/people")
    def people_api(name: str | None = Query(None, max_length=200), limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        return view.people(name or None, limit, offset)

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(request: Request, kind: str | None = Query(None, max_length=40), limit: int = LIMIT, offset: int = OFFSET) -> HTMLResponse:
        return page("entities", view.entities)(request, kind=kind or None, limit=limit, offset=offset)

    @app.get("/api/entities")
    def entities_api(kind: str | None = Query(None, max_length=40), limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        return view.entities(kind or None, limit, offset)

    @app.get("/entities/{name:anypath}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, name: str = NAME) -> HTMLResponse:
        return page("entity", view.entity)(request, name=name)

    @app.get("/api/entities/{name:anypath}")
    def entity_api(name: str = NAME) -> dict[str, Any]:
        return view.entity(name)

    # questions wait for the ask pool's processes in the event loop, not in a request thread: a queue
    # of questions never holds back pages and searches
    @app.get("/ask", response_class=HTMLResponse, include_in_schema=False)
    async def ask_page(request: Request, q: str = Q) -> HTMLResponse:
        data = await view.ask_async(q)
        return templates.TemplateResponse(request, "ask.html", {"data": data, "page": "ask", "args": {"q": q}})

    @app.get("/api/ask")
    async def ask_api(q: str = Q) -> dict[str, Any]:
        return await view.ask_async(q)

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(request: Request, limit: int = LIMIT, offset: int = OFFSET) -> HTMLResponse:
        return page("documents", view.documents)(request, limit=limit, offset=offset)

    @app.get("/api/documents")
    def documents_api(limit: int = LIMIT, offset: int = OFFSET) -> dict[str, Any]:
        return view.documents(limit, offset)

    @app.get("/documents/{path:anypath}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, path: str = DOC_PATH, start: int | None = Query(None, ge=0), end: int | None = Query(None, ge=0)) -> HTMLResponse:
        return page("document", view.document)(request, path=path, start=start, end=end)

    @app.get("/api/documents/{path:anypath}")
    def document_api(path: str = DOC_PATH, start: int | None = Query(None, ge=0), end: int | None = Query(None, ge=0)) -> dict[str, Any]:
        return view.document(path, start, end)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        """The OpenAPI description rendered here, with no script or stylesheet from elsewhere."""
        spec = app.openapi()
        endpoints = []
        for path, methods in spec["paths"].items():
            for method, op in methods.items():
                params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                           "schema": p.get("schema", {})} for p in op.get("parameters", [])]
                endpoints.append({"method": method.upper(), "path": path, "params": params})
        return templates.TemplateResponse(request, "api.html", {"endpoints": endpoints, "page": "docs", "spec": spec})

    return app
