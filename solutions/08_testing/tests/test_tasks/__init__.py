"""Tests of the tasks blueprint."""
