"""Persistence: SQLModel tables, the engine and repository functions. Imports nothing else of ours."""
