"""Duologue's Litestar application: settings, database, accounts, pairing and the HTTP API."""
