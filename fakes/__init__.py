"""Stand-ins for what the bot talks to, shared by tests/ and bench/ (not installed with the package)."""
