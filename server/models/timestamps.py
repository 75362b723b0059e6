"""Re-exported from rooms (arrows point server → rooms, and both store timestamps the same way)."""

from rooms.timestamps import UTCDateTime, utcnow

__all__ = ["UTCDateTime", "utcnow"]
