"""Facilitation: couples therapists linked to couples by consent, pacing live sessions, private notes."""
