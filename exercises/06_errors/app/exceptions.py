"""Domain exceptions: services say what went wrong; one handler turns it into HTTP."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule said no. Subclasses set the HTTP status and the error code."""

    status_code = 400
    code = "domain_error"


class ResourceNotFoundError(DomainError):
    """The thing asked for does not exist (or is not yours to see)."""

    # TODO(task 2): Answer 404 with code "not_found".


class ConflictError(DomainError):
    """The change would break a uniqueness rule."""

    # TODO(task 2): Answer 409 with code "conflict".


class PermissionDeniedError(DomainError):
    """The caller may see the thing but not change it."""

    # TODO(task 2): Answer 403 with code "forbidden".
