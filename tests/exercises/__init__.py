"""Tests for the pure exercise engine and catalogue."""
