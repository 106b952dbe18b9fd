"""Domain exceptions: services say what went wrong; one handler turns it into HTTP."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule said no. Subclasses set the HTTP status and the error code."""

    status_code = 400
    code = "domain_error"


class ResourceNotFoundError(DomainError):
    """The thing asked for does not exist (or is not yours to see)."""

    # BEGIN SOLUTION (task 2): Answer 404 with code "not_found".
    status_code = 404
    code = "not_found"
    # END SOLUTION


class ConflictError(DomainError):
    """The change would break a uniqueness rule."""

    # BEGIN SOLUTION (task 2): Answer 409 with code "conflict".
    status_code = 409
    code = "conflict"
    # END SOLUTION


class PermissionDeniedError(DomainError):
    """The caller may see the thing but not change it."""

    # BEGIN SOLUTION (task 2): Answer 403 with code "forbidden".
    status_code = 403
    code = "forbidden"
    # END SOLUTION
