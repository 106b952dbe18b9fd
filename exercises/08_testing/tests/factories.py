"""Test data: factory_boy factories that write through the app's database session."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import Project, Task, User

# Every factory-made user's password (hashed cheaply: this is the test suite).
PASSWORD = "correct-horse-9"


class UserFactory(SQLAlchemyModelFactory):
    """A user with a unique email and the known PASSWORD."""

    # TODO(task 2): Meta: model User, the session from db.session, persistence "commit"; a unique email (a Sequence), a name, and password_hash of PASSWORD.


class ProjectFactory(SQLAlchemyModelFactory):
    """A project with an owner (a new user unless one is given)."""

    # TODO(task 2): Meta as for users with model Project; a name (a Sequence) and owner = factory.SubFactory(UserFactory).


class TaskFactory(SQLAlchemyModelFactory):
    """A task in a project (a new one unless one is given)."""

    # TODO(task 2): Meta as for users with model Task; a title (a Sequence) and project = factory.SubFactory(ProjectFactory).
