"""Users: what a request may send, and what a response shows (Pydantic v2 models)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from app.tasks.schemas import not_blank


def fits_column(value: str) -> str:
    """The address is stored lower-cased ("İ" becomes two characters): it must fit 255 then."""
    if len(value.lower()) > 255:
        raise ValueError("Longer than maximum length 255.")
    return value


Email = Annotated[EmailStr, AfterValidator(fits_column)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=120), AfterValidator(not_blank)]


class CreateUserSchema(BaseModel):
    """POST /auth/register: email, name and password, nothing else."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    name: Name
    password: Annotated[str, StringConstraints(min_length=8)]


class UpdateUserSchema(BaseModel):
    """PUT /users/<id>: only the name may change."""

    model_config = ConfigDict(extra="forbid")

    name: Name = Field(default=None)


class UserResponseSchema(BaseModel):
    """A user as the API shows it: never the password or its hash."""

    id: uuid.UUID
    email: str
    name: str
