"""Accounts: sign-up, sign-in, sign-out, who am I, and the session that remembers you."""
