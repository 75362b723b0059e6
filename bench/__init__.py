"""Load harness for Duologue's live runtime: cheap clients that play the real protocol, a bare relay to
compare with, and the figures quoted in docs/performance.md. Run it with `python -m bench run`."""
