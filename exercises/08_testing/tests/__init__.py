"""Taskboard's own test suite."""
