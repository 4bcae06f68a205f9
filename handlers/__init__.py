"""Conversations and keyword commands. They see Incoming/Context only: never Flask, never HTTP."""
