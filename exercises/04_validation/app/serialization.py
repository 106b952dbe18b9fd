"""Loading a request body and dumping results with schemas.

A schema is a marshmallow ``Schema`` (a class or an instance) or a Pydantic v2 ``BaseModel``
class: ``load`` and ``dump`` take either, so the routes read the same with both libraries.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import abort, request


def load(schema: Any, *, partial: bool = False) -> dict[str, Any]:
    """The JSON body validated by ``schema``: 400 when it is no JSON object, 422 when invalid.

    With ``partial`` a field the body leaves out is neither required nor defaulted: it is
    absent from the result.
    """
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, description="the body must be a JSON object")
    if _is_pydantic(schema):
        return dict(schema.model_validate(payload).model_dump(exclude_unset=partial))
    data: dict[str, Any] = _marshmallow(schema).load(payload, partial=partial)
    return data


def dump(schema: Any, value: Any, *, many: bool = False) -> Any:
    """``value`` (or, with ``many``, each item of it) as ``schema`` shows it, ready for JSON."""
    if not _is_pydantic(schema):
        return _marshmallow(schema).dump(value, many=many)
    if many:
        return [dump(schema, item) for item in value]
    return schema.model_validate(value, from_attributes=True).model_dump(mode="json")


def _is_pydantic(schema: Any) -> bool:
    """Whether ``schema`` is a Pydantic v2 model class (else a marshmallow schema)."""
    return isinstance(schema, type) and hasattr(schema, "model_validate")


def _marshmallow(schema: Any) -> Any:
    """A marshmallow schema instance: ``schema`` itself, or one kept instance of its class."""
    return _instance(schema) if isinstance(schema, type) else schema


@cache
def _instance(schema: type[Any]) -> Any:
    """One reusable instance per marshmallow schema class."""
    return schema()
