"""The live runtime around the pure exercise engine: intents, stored events, fan-out, timers, presence."""
