"""Tests of the auth blueprint."""
