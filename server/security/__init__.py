"""Protections around every request: trusted hosts, same-site checks, security headers, throttles."""
