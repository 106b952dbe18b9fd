"""Tests of the users blueprint."""
