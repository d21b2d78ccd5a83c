"""Commands over extracted facts (registered on import)."""
