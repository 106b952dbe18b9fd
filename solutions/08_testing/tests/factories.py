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

    # BEGIN SOLUTION (task 2): Meta: model User, the session from db.session, persistence "commit"; a unique email (a Sequence), a name, and password_hash of PASSWORD.
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    password_hash = factory.LazyFunction(
        lambda: generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    )
    # END SOLUTION


class ProjectFactory(SQLAlchemyModelFactory):
    """A project with an owner (a new user unless one is given)."""

    # BEGIN SOLUTION (task 2): Meta as for users with model Project; a name (a Sequence) and owner = factory.SubFactory(UserFactory).
    class Meta:
        model = Project
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    name = factory.Sequence(lambda n: f"Project {n}")
    description = ""
    owner = factory.SubFactory(UserFactory)
    # END SOLUTION


class TaskFactory(SQLAlchemyModelFactory):
    """A task in a project (a new one unless one is given)."""

    # BEGIN SOLUTION (task 2): Meta as for users with model Task; a title (a Sequence) and project = factory.SubFactory(ProjectFactory).
    class Meta:
        model = Task
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"

    title = factory.Sequence(lambda n: f"Task {n}")
    project = factory.SubFactory(ProjectFactory)
    # END SOLUTION
