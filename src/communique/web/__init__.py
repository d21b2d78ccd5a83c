"""Web: the knowledge base as a small server-rendered application with a JSON API."""

from communique.web.app import create_app

__all__ = ["create_app"]
