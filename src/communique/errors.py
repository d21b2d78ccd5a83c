"""The exceptions Communique raises.

Tree::

    CommuniqueError              anything the library reports to a user
    ├── IngestError              one input file could not be turned into a Document
    ├── StoreError               the knowledge base file is missing, locked or not ours
    │   └── BuildLockedError     another build holds the knowledge base
    ├── ClusterError             the cluster a build runs on cannot be reached or failed
    └── QueryError               a search or question could not be run as given
        └── QueryTimeout         it ran past its time limit or waited too long, and was stopped (503)
            └── AnswerTimeout    a question ran past its time limit on the server (504)

Every message says what happened and, where it helps, what to try next.
"""

from __future__ import annotations

__all__ = ["CommuniqueError", "IngestError", "StoreError", "BuildLockedError", "ClusterError", "QueryError",
           "QueryTimeout", "AnswerTimeout"]


class CommuniqueError(Exception):
    """Base of every error the library raises on purpose."""

    status = 400  # HTTP status the web layer answers with


class IngestError(CommuniqueError):
    """A file could not be read, decoded or cleaned into a Document."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(CommuniqueError):
    """The knowledge base cannot be opened or written as asked."""

    status = 500


class BuildLockedError(StoreError):
    """Another process is building into the same knowledge base."""

    status = 409


class ClusterError(CommuniqueError):
    """A build's executor (a Dask cluster) cannot be reached, has no workers, or lost a task for good."""

    status = 503


class QueryError(CommuniqueError):
    """A query is malformed or out of bounds."""


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped (the server is busy or the query too broad)."""

    status = 503


class AnswerTimeout(QueryTimeout):
    """A question ran past the server's time limit and was stopped (its answerer may have been replaced)."""

    status = 504
