"""What every response carries, and what every link built from a document may point to.

- ``SecureHeaders``: an ASGI middleware adding a Content-Security-Policy (this server only, no
  inline script) and the usual safe headers to every response, and answering ``HEAD`` on every
  ``GET`` route (the body is dropped, the headers kept).
- ``safe_url``: a document's own URL comes from its metadata (a Markdown ``source_url``, an HTML
  canonical link), which anyone can write: only http, https and mailto become links.
- ``document_href``: the link to a stored document, its path percent-encoded (a file name may hold
  a newline, ``#`` or ``?``).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable
from urllib.parse import quote, urlsplit

__all__ = ["SecureHeaders", "safe_url", "document_href", "citation_href", "SAFE_SCHEMES", "CSP"]

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def safe_url(url: Any) -> str | None:
    """``url`` when it is an absolute http(s) or mailto address, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(ch) < 32 for ch in url):  # "java\nscript:" and friends
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in SAFE_SCHEMES else None


def document_href(path: str) -> str:
    """The viewer's address for a stored document's path."""
    return "/documents/" + quote(path, safe="/")


def citation_href(src: dict[str, Any]) -> str:
    """The viewer's address for a cited span."""
    return f"{document_href(src['document'])}?start={int(src['start'])}&end={int(src['end'])}#cited"


class SecureHeaders:
    """ASGI middleware: safe headers on every response; HEAD answered as GET without a body."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")  # a copy: the server still knows it answers a HEAD

        async def send_secure(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", [])) + [h for h in _HEADERS if h[0] not in names]
                message = dict(message, headers=headers)
            elif head and message["type"] == "http.response.body":
                message = dict(message, body=b"")
            await send(message)

        await self.app(scope, receive, send_secure)
