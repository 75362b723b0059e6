"""Pairing: invites a person can read aloud, and the couple they create."""
