"""The private journal and noticing, between sessions."""
