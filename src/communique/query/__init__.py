"""Query: what the CLI and the web call to read the knowledge base."""
