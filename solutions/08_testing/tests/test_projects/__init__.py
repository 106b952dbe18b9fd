"""Tests of the projects blueprint."""
