"""Progress over weeks: a person's own measures, what they share, and what facilitators may see."""
