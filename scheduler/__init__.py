"""Scheduled jobs, their wiring, and the outbox sender that delivers pushes exactly once."""
