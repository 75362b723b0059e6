"""Between sessions: each person's self-soothing kit and solo practices, and the couple's ritual."""
