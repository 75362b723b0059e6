"""Live practice sessions over HTTP and one websocket per participant."""
